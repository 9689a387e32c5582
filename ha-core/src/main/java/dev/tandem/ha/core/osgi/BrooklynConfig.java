package dev.tandem.ha.core.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of the keys of PID {@code brooklyn} (etc/brooklyn.cfg) that Tandem reads; a method name maps to its key
 * with '_' for '.' ({@code brooklyn_ha_pollPeriod} is {@code brooklyn.ha.pollPeriod}). The defaults must equal
 * those of {@code dev.tandem.ha.core.HaSettings} and of the blob store (checked by MetatypeDefaultsTest). The
 * location keys ({@code brooklyn.location.named.NAME...}) are open-ended and described in docs/persistence.md.
 */
@ObjectClassDefinition(id = "brooklyn", pid = "brooklyn", name = "Tandem / Brooklyn properties",
        description = "The keys of etc/brooklyn.cfg that Tandem reads.")
public @interface BrooklynConfig {

    @AttributeDefinition(name = "Poll period", description = "How often a node heartbeats and checks the plane "
            + "(duration).")
    String brooklyn_ha_pollPeriod() default "1s";

    @AttributeDefinition(name = "Heartbeat timeout", description = "How long without a heartbeat before a master is "
            + "presumed dead; more than twice the poll period (duration).")
    String brooklyn_ha_heartbeatTimeout() default "30s";

    @AttributeDefinition(name = "Inactive record removal at start", description = "At start, remove records of "
            + "inactive nodes older than this; 0 = off (duration).")
    String brooklyn_ha_timeoutForInactiveNodeRemovalOnStartup() default "0";

    @AttributeDefinition(name = "Dead record retention", description = "The master removes records of inactive nodes "
            + "older than this (duration).")
    String tandem_ha_deadRecordRetention() default "1h";

    @AttributeDefinition(name = "Priority", description = "Election priority of this node; higher wins.")
    int tandem_ha_priority() default 0;

    @AttributeDefinition(name = "Node URI", required = false, description = "Base URI published for this node; empty = "
            + "the HTTP service's scheme, listening address (when a specific one, else this host's first non-loopback "
            + "address) and port.")
    String tandem_ha_nodeUri() default "";

    @AttributeDefinition(name = "Blob store write bound", required = false, description = "Blob stores without "
            + "conditional writes: the longest a store write may take, the bound of the timed mastership claim "
            + "(duration); empty = half of brooklyn.ha.pollPeriod.")
    String tandem_store_maxWriteLatency() default "";
}
