package dev.tandem.ha.api;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * This node's HA figures over JMX, under {@link #OBJECT_NAME}: the same figures as {@link HaMetrics} and the
 * Prometheus text. Registered as an OSGi service with the property {@code jmx.objectname}, which Karaf's
 * {@code management} feature (Aries JMX whiteboard) registers in the platform MBean server.
 */
@ProviderType
public interface HighAvailabilityMXBean {

    String OBJECT_NAME = "dev.tandem:type=HighAvailability";

    String getNodeId();

    /** The state name, e.g. {@code MASTER}. */
    String getState();

    /** MASTER with a valid lease: the only time master-only work runs. */
    boolean isActingMaster();

    long getEpoch();

    /** Times this node became MASTER since Karaf started. */
    long getMasterGained();

    /** Times this node left MASTER since Karaf started. */
    long getMasterLost();

    double getUptimeSeconds();

    double getPollPeriodSeconds();

    double getHeartbeatTimeoutSeconds();

    double getLeaseSeconds();

    /** How long this node stays master now without renewing; 0 unless it acts as master. */
    double getLeaseRemainingSeconds();

    /** ATOMIC, TIMED, or none while the node is out of the plane. */
    String getClaimMethod();

    /** The store, without credentials. */
    String getStore();

    /** Store requests since start, by kind. */
    Map<String, Long> getStoreRequests();

    /** Failed store requests since start, by kind. */
    Map<String, Long> getStoreFailures();

    /**
     * The hot copy's lag (see {@code dev.tandem.ha.api.apps.ManagedStateStatus#hotCopyLagMillis()}) in seconds; NaN
     * when this node keeps no copy or the managed applications are not installed.
     *
     * @since 1.2
     */
    double getHotCopyLagSeconds();

    /** Mean duration of store requests since start, by kind, in milliseconds (kinds not used yet are absent). */
    Map<String, Double> getStoreLatencyMeanMillis();
}
