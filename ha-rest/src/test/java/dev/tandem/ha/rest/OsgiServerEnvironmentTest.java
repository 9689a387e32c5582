package dev.tandem.ha.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

import dev.tandem.ha.api.apps.ManagedStateStatus;

/** The server seen through a hand-made framework: its bundles, its boot state, and the stop of the system bundle. */
class OsgiServerEnvironmentTest {

    private final AtomicInteger systemStops = new AtomicInteger();
    private final AtomicLong stoppedAtNanos = new AtomicLong();
    private volatile int systemState = Bundle.ACTIVE;
    private volatile boolean bootFinished;
    private volatile ManagedStateStatus status;
    private final AtomicInteger statusGets = new AtomicInteger();
    private final AtomicInteger statusUngets = new AtomicInteger();

    @Test
    void shutdownStopsTheSystemBundleAfterTheDelayAndOnlyOnce() {
        OsgiServerEnvironment server = new OsgiServerEnvironment(context());
        assertThat(server.shuttingDown()).isFalse();

        long asked = System.nanoTime();
        server.shutdown(Duration.ofMillis(300));
        server.shutdown(Duration.ZERO); // a second request while the first is under way changes nothing

        assertThat(server.shuttingDown()).isTrue();
        assertThat(systemStops).as("returned at once, before the stop").hasValue(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> systemStops.get() == 1);
        assertThat(Duration.ofNanos(stoppedAtNanos.get() - asked)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aStoppingFrameworkIsShuttingDown() {
        OsgiServerEnvironment server = new OsgiServerEnvironment(context());
        systemState = Bundle.STOPPING;
        assertThat(server.shuttingDown()).isTrue();
    }

    @Test
    void osgiIsUpInKarafOnceItsBootFeaturesAreInstalled() {
        OsgiServerEnvironment server = new OsgiServerEnvironment(context());
        assertThat(server.osgiUp()).isFalse();
        bootFinished = true;
        assertThat(server.osgiUp()).isTrue();
    }

    @Test
    void theVersionIsTheBuildsAndTheFeaturesAreTheProductsBundles() {
        VersionSummary v = new OsgiServerEnvironment(context()).version();

        assertThat(v.version()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(v.buildSha1()).isEqualTo("abc123");
        assertThat(v.buildBranch()).as("an empty header is no branch").isNull();
        assertThat(v.features()).extracting(VersionSummary.Feature::symbolicName)
                .containsExactly("dev.tandem.ha.core", "dev.tandem.ha.rest");
        assertThat(v.features().get(1)).isEqualTo(
                new VersionSummary.Feature("Tandem :: HA REST", "dev.tandem.ha.rest", "0.1.0.SNAPSHOT", "1700000000000"));
    }

    @Test
    void theHotCopysLagComesFromTheManagedStateServiceWhenThereIsOne() {
        OsgiServerEnvironment server = new OsgiServerEnvironment(context());
        assertThat(server.hotCopyLagMillis()).as("managed applications not installed").isEmpty();

        status = () -> OptionalLong.of(420);
        assertThat(server.hotCopyLagMillis()).hasValue(420);
        status = OptionalLong::empty;
        assertThat(server.hotCopyLagMillis()).as("a node that keeps no copy").isEmpty();
        assertThat(statusUngets.get()).as("every service got is released").isEqualTo(statusGets.get()).isEqualTo(2);
    }

    private Bundle bundle(String symbolicName, Map<String, String> headers) {
        Dictionary<String, String> dict = new Hashtable<>(headers);
        return (Bundle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName" -> symbolicName;
                    case "getHeaders" -> dict;
                    case "getVersion" -> Version.parseVersion("0.1.0.SNAPSHOT");
                    case "getState" -> systemState;
                    case "stop" -> {
                        stoppedAtNanos.set(System.nanoTime());
                        systemStops.incrementAndGet();
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private BundleContext context() {
        Bundle rest = bundle("dev.tandem.ha.rest", Map.of(Constants.BUNDLE_NAME, "Tandem :: HA REST",
                "Tandem-Version", "0.1.0-SNAPSHOT", "Tandem-Build-Sha1", "abc123", "Tandem-Build-Branch", " ",
                "Bnd-LastModified", "1700000000000"));
        Bundle core = bundle("dev.tandem.ha.core", Map.of(Constants.BUNDLE_NAME, "Tandem :: HA core"));
        Bundle other = bundle("org.apache.felix.scr", Map.of());
        Bundle system = bundle("org.apache.felix.framework", Map.of());
        ServiceReference<?> bootRef = (ServiceReference<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (p, m, a) -> {
                    throw new UnsupportedOperationException(m.getName());
                });
        ServiceReference<?> statusRef = (ServiceReference<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (p, m, a) -> {
                    throw new UnsupportedOperationException(m.getName());
                });
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getBundle" -> args == null ? rest : system;
                    case "getBundles" -> new Bundle[] {system, rest, other, core};
                    case "getProperty" -> "karaf.base".equals(args[0]) ? "/opt/karaf" : null;
                    case "getServiceReference" -> args[0] == ManagedStateStatus.class
                            ? (status != null ? statusRef : null)
                            : OsgiServerEnvironment.KARAF_BOOT_FINISHED.equals(args[0]) && bootFinished ? bootRef : null;
                    case "getService" -> {
                        assertThat(args[0]).isSameAs(statusRef);
                        statusGets.incrementAndGet();
                        yield status;
                    }
                    case "ungetService" -> {
                        assertThat(args[0]).isSameAs(statusRef);
                        statusUngets.incrementAndGet();
                        yield true;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
