package dev.tandem.ha.core.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Metatype of PID {@code org.apache.brooklyn.osgilauncher} (etc/org.apache.brooklyn.osgilauncher.cfg). bnd turns it
 * into OSGI-INF/metatype; {@link HighAvailabilityComponent} reads the PID as a map (it merges three PIDs), and
 * {@code dev.tandem.ha.core.HaSettings} holds the defaults these must equal (checked by MetatypeDefaultsTest).
 */
@ObjectClassDefinition(id = "org.apache.brooklyn.osgilauncher", pid = "org.apache.brooklyn.osgilauncher",
        name = "Tandem / Brooklyn launcher",
        description = "HA and persistence modes of this node, as in Brooklyn's Karaf distribution.")
public @interface LauncherConfig {

    @AttributeDefinition(name = "HA mode", description = "HA mode (any case): AUTO becomes master if none exists, "
            + "else hot standby.", options = {
                @Option(label = "AUTO", value = "AUTO"), @Option(label = "MASTER", value = "MASTER"),
                @Option(label = "STANDBY", value = "STANDBY"), @Option(label = "HOT_STANDBY", value = "HOT_STANDBY"),
                @Option(label = "HOT_BACKUP", value = "HOT_BACKUP"), @Option(label = "DISABLED", value = "DISABLED") })
    String highAvailabilityMode() default "AUTO";

    @AttributeDefinition(name = "Persist mode", description = "What to do with existing state at start.", options = {
        @Option(label = "AUTO", value = "AUTO"), @Option(label = "REBIND", value = "REBIND"),
        @Option(label = "CLEAN", value = "CLEAN"), @Option(label = "DISABLED", value = "DISABLED") })
    String persistMode() default "AUTO";

    @AttributeDefinition(name = "Persistence location", required = false, description = "Empty for the local folder "
            + "store; for a blob store (feature tandem-jclouds), a named location NAME defined by "
            + "brooklyn.location.named.NAME in etc/brooklyn.cfg, or jclouds:PROVIDER[:ENDPOINT_OR_REGION].")
    String persistenceLocation() default "";

    @AttributeDefinition(name = "Persistence folder", required = false, description = "Folder store: the shared folder; "
            + "empty = ${karaf.base}/persisted-state; relative paths are relative to ${karaf.base}. Blob store: "
            + "container[/prefix], default container brooklyn-persisted-state. All nodes of a plane use the same value.")
    String persistenceDir() default "";

    @AttributeDefinition(name = "Persist period", description = "Period of managed-state persistence (duration: 500ms, "
            + "1s, 2m, 1h).")
    String persistPeriod() default "1s";
}
