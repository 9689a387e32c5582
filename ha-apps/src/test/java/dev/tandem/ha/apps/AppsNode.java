package dev.tandem.ha.apps;

import dev.tandem.ha.rest.TestLoginModule;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

import dev.tandem.ha.api.ManagedStateStore;
import dev.tandem.ha.api.PersistMode;
import dev.tandem.ha.apps.rest.AppsRestResources;
import dev.tandem.ha.apps.types.BasicApplicationType;
import dev.tandem.ha.apps.types.BasicEntityType;
import dev.tandem.ha.apps.types.BasicStartableType;
import dev.tandem.ha.core.HaClock;
import dev.tandem.ha.core.osgi.HighAvailabilityComponent;
import dev.tandem.ha.rest.RestEndpoint;
import dev.tandem.ha.rest.RestSettings;

/**
 * A running node as in Karaf, without OSGi: Tandem's real HA core on a folder store, the managed applications, and
 * the REST endpoint (auth, role and master gating included) on an embedded Jetty on a loopback port. Users:
 * {@code admin}/{@code secret} (admin) and {@code viewer}/{@code secret}.
 */
final class AppsNode implements AutoCloseable {
    static final String USERS = "admin=secret,admin;viewer=secret,viewer";

    final HighAvailabilityComponent ha;
    final AppsRuntime runtime;
    final Applications apps;
    final URI base;
    private final ExecutorService effectors = Executors.newFixedThreadPool(2);
    private final RestEndpoint endpoint;
    private final Server jetty;

    AppsNode(Path dir, String mode, PersistMode persistMode) throws Exception {
        this(dir, mode, persistMode, null);
    }

    /** @param store the managed-state store to use instead of the HA core's (a failing one, in tests) */
    AppsNode(Path dir, String mode, PersistMode persistMode, java.util.function.UnaryOperator<ManagedStateStore> store)
            throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put("persistenceDir", dir.resolve("store").toString());
        config.put("highAvailabilityMode", mode);
        config.put("persistMode", persistMode.name()); // the core and the applications read the same key
        config.put("brooklyn.ha.pollPeriod", "200ms");
        config.put("brooklyn.ha.heartbeatTimeout", "10s"); // a busy 2-core CI machine must not lose the lease
        ha = new HighAvailabilityComponent(dir, "1.0.0", HaClock.SYSTEM, config);
        TypeRegistry types = new TypeRegistry();
        types.add(new BasicApplicationType());
        types.add(new BasicEntityType());
        types.add(new BasicStartableType());
        ManagedStateStore s = store == null ? ha : store.apply(ha);
        runtime = new AppsRuntime(ha, s, new AppsRuntime.Settings(persistMode, Duration.ofMillis(100), 4), System::nanoTime);
        apps = new Applications(ha, runtime, types, new EffectorRunner(effectors, types, System::currentTimeMillis));
        runtime.start();
        endpoint = new RestEndpoint(ha, RestSettings.DEFAULTS, TestLoginModule.configuration("karaf", USERS),
                new NoServer(runtime.lag()), AppsRestResources.all(apps));
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.addServlet(new ServletHolder(endpoint.servlet()), RestEndpoint.SERVLET_PATTERN);
        jetty.setHandler(context);
        jetty.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    /** Waits until this node is the acting master and has taken over the managed state. */
    AppsNode awaitWriter() {
        await().atMost(Duration.ofSeconds(20)).until(() -> runtime.writer() != null);
        return this;
    }

    @Override
    public void close() throws Exception {
        try {
            jetty.stop();
        } finally {
            endpoint.close();
            runtime.close();
            effectors.shutdownNow();
            dev.tandem.ha.core.osgi.HaComponents.stop(ha);
        }
    }

    /**
     * The server around the REST API, for tests that do not use its version or shutdown; the hot copy's lag is this
     * node's, as Karaf's server gives it from the managed applications' service.
     */
    private static final class NoServer implements dev.tandem.ha.rest.ServerEnvironment {
        private final HotCopyLag lag;

        NoServer(HotCopyLag lag) {
            this.lag = lag;
        }

        @Override
        public java.util.OptionalLong hotCopyLagMillis() {
            return lag.hotCopyLagMillis();
        }

        @Override
        public dev.tandem.ha.rest.VersionSummary version() {
            return new dev.tandem.ha.rest.VersionSummary("0.1.0-TEST", "none", "none", java.util.List.of());
        }

        @Override
        public boolean osgiUp() {
            return true;
        }

        @Override
        public boolean shuttingDown() {
            return false;
        }

        @Override
        public void shutdown(Duration delay) {
            throw new UnsupportedOperationException("no server to shut down in this test");
        }
    }
}
