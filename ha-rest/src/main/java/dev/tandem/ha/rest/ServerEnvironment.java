package dev.tandem.ha.rest;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * What the REST API needs from the server it runs in, beside the HA service: its version, whether it has finished
 * starting, and how to shut it down. In Karaf this is {@link OsgiServerEnvironment}; tests give their own.
 */
public interface ServerEnvironment {

    /** Brooklyn's {@code /v1/server/version}: this product's version and its bundles. */
    VersionSummary version();

    /** True once the OSGi framework has finished starting (Karaf: its boot features are installed). */
    boolean osgiUp();

    /** True once a shutdown has been asked for, or the framework is stopping. */
    boolean shuttingDown();

    /**
     * Shuts the whole server (Karaf) down {@code delay} from now, in the background; returns at once. The delay lets
     * the HTTP answer reach the client first. Stopping Karaf stops the HA node cleanly (TERMINATED, handover).
     */
    void shutdown(Duration delay);

    /**
     * The hot copy's lag in milliseconds (see {@code dev.tandem.ha.api.apps.ManagedStateStatus}); empty when this
     * node keeps no copy or the managed applications are not installed.
     */
    OptionalLong hotCopyLagMillis();
}
