package dev.tandem.ha.rest;

import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.apps.ManagedStateStatus;

/**
 * The server is the OSGi framework this bundle runs in. Shutting it down stops the system bundle, which is what
 * Karaf's own {@code shutdown} command does: Karaf stops every bundle (the HA node records TERMINATED and hands over),
 * then its launcher exits the JVM. The product's bundles are those whose symbolic name starts with
 * {@value #PRODUCT_PREFIX}. The hot copy's lag comes from the {@link ManagedStateStatus} service, when the managed
 * applications are installed.
 */
final class OsgiServerEnvironment implements ServerEnvironment {

    static final String PRODUCT_PREFIX = "dev.tandem.";
    static final String VERSION_HEADER = "Tandem-Version";
    /** Karaf registers a service of this name once its boot features are installed. */
    static final String KARAF_BOOT_FINISHED = "org.apache.karaf.features.BootFinished";

    private static final Logger LOG = LoggerFactory.getLogger(OsgiServerEnvironment.class);

    private final BundleContext context;
    private final AtomicBoolean shutdownAsked = new AtomicBoolean();

    OsgiServerEnvironment(BundleContext context) {
        this.context = context;
    }

    @Override
    public VersionSummary version() {
        Bundle own = context.getBundle();
        String version = own.getHeaders().get(VERSION_HEADER);
        List<VersionSummary.Feature> features = Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith(PRODUCT_PREFIX))
                .sorted(Comparator.comparing(Bundle::getSymbolicName))
                .map(b -> new VersionSummary.Feature(b.getHeaders().get(Constants.BUNDLE_NAME), b.getSymbolicName(),
                        b.getVersion().toString(), b.getHeaders().get("Bnd-LastModified")))
                .toList();
        return new VersionSummary(version != null ? version : own.getVersion().toString(),
                header(own, "Tandem-Build-Sha1"), header(own, "Tandem-Build-Branch"), features);
    }

    /** A header the build fills from git (empty when built outside a git checkout), or null. */
    private static String header(Bundle bundle, String name) {
        String value = bundle.getHeaders().get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public boolean osgiUp() {
        if (context.getServiceReference(KARAF_BOOT_FINISHED) != null) {
            return true;
        }
        if (isKaraf()) {
            return false; // Karaf is still installing its boot features
        }
        // another framework: started once it has reached its beginning start level
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        FrameworkStartLevel level = system.adapt(FrameworkStartLevel.class);
        String beginning = context.getProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL);
        int wanted = beginning == null ? 1 : Integer.parseInt(beginning.trim());
        return system.getState() == Bundle.ACTIVE && level != null && level.getStartLevel() >= wanted;
    }

    private boolean isKaraf() {
        return context.getProperty("karaf.base") != null;
    }

    @Override
    public OptionalLong hotCopyLagMillis() {
        ServiceReference<ManagedStateStatus> ref = context.getServiceReference(ManagedStateStatus.class);
        if (ref == null) {
            return OptionalLong.empty();
        }
        ManagedStateStatus status = context.getService(ref);
        try {
            return status == null ? OptionalLong.empty() : status.hotCopyLagMillis();
        } finally {
            if (status != null) {
                context.ungetService(ref);
            }
        }
    }

    @Override
    public boolean shuttingDown() {
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        return shutdownAsked.get() || system.getState() == Bundle.STOPPING;
    }

    @Override
    public void shutdown(Duration delay) {
        if (!shutdownAsked.compareAndSet(false, true)) {
            LOG.info("Shutdown asked again over REST; it is already under way");
            return;
        }
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        Thread thread = new Thread(() -> {
            try {
                // Brooklyn's delayForHttpReturn: the REST answer must leave before the HTTP service stops
                Thread.sleep(delay.toMillis());
                LOG.info("Shutting Karaf down, as asked over REST");
                system.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("Shutdown asked over REST was interrupted before it began; Karaf keeps running");
                shutdownAsked.set(false);
            } catch (BundleException | RuntimeException e) {
                LOG.error("Shutdown asked over REST failed: {}", e.toString());
                shutdownAsked.set(false);
            }
        }, "tandem-rest-shutdown");
        thread.setDaemon(true);
        thread.start();
        LOG.info("Shutdown asked over REST: Karaf stops in {}", RestDurations.format(delay));
    }
}
