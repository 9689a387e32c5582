package dev.tandem.ha.api;

import java.util.List;
import java.util.Map;

/**
 * What a node reports about itself for monitoring (REST {@code /v1/server/ha/metrics}, the Prometheus text at
 * {@code /v1/server/ha/metrics/prometheus} and the JMX MBean {@link HighAvailabilityMXBean}).
 *
 * @param nodeId               this node
 * @param state                its state now
 * @param epoch                the mastership epoch it holds or last saw
 * @param uptimeMillis         time since the node (this incarnation) started
 * @param pollPeriodMillis     {@code brooklyn.ha.pollPeriod}
 * @param heartbeatTimeoutMillis {@code brooklyn.ha.heartbeatTimeout}
 * @param leaseMillis          how long a master stays master without renewing
 * @param store                the store, described without credentials
 * @param claimMethod          how mastership is claimed on that store (ATOMIC or TIMED)
 * @param storeRequests        requests made to the store since start, by kind
 * @param history              the latest state changes, oldest first
 * @param masterGained         how many times this node has become MASTER since Karaf started
 * @param masterLost           how many times this node has left MASTER since Karaf started
 * @param storeFailures        store requests that failed since start, by kind
 * @param storeLatency         how long store requests took since start, by kind
 * @param leaseRemainingMillis how long this node stays master without renewing, now; 0 unless it acts as master
 */
public record HaMetrics(String nodeId, ManagementNodeState state, long epoch, long uptimeMillis, long pollPeriodMillis,
        long heartbeatTimeoutMillis, long leaseMillis, String store, String claimMethod, Map<String, Long> storeRequests,
        List<StateChange> history, long masterGained, long masterLost, Map<String, Long> storeFailures,
        Map<String, StoreLatency> storeLatency, long leaseRemainingMillis) {

    public HaMetrics {
        storeRequests = Map.copyOf(storeRequests);
        history = List.copyOf(history);
        storeFailures = Map.copyOf(storeFailures);
        storeLatency = Map.copyOf(storeLatency);
    }

    /**
     * Without failure and latency figures (a node that makes no store requests); the master changes are counted in
     * {@code history}.
     */
    public HaMetrics(String nodeId, ManagementNodeState state, long epoch, long uptimeMillis, long pollPeriodMillis,
            long heartbeatTimeoutMillis, long leaseMillis, String store, String claimMethod,
            Map<String, Long> storeRequests, List<StateChange> history) {
        this(nodeId, state, epoch, uptimeMillis, pollPeriodMillis, heartbeatTimeoutMillis, leaseMillis, store,
                claimMethod, storeRequests, history,
                history.stream().filter(c -> c.to() == ManagementNodeState.MASTER).count(),
                history.stream().filter(c -> c.from() == ManagementNodeState.MASTER).count(), Map.of(), Map.of(), 0);
    }

    /** One change of state: when (epoch millis, this node's clock), from, to, in which epoch, and why. */
    public record StateChange(long timestamp, ManagementNodeState from, ManagementNodeState to, long epoch, String reason) {}

    /**
     * How long one kind of store request took, as a histogram.
     *
     * @param count      requests timed (failed ones included)
     * @param sumSeconds their total duration
     * @param buckets    for each upper bound, ascending, how many requests took at most that long (cumulative)
     */
    public record StoreLatency(long count, double sumSeconds, List<Bucket> buckets) {
        public StoreLatency {
            buckets = List.copyOf(buckets);
        }

        /** @param le upper bound in seconds; @param count requests that took at most {@code le} */
        public record Bucket(double le, long count) {}
    }
}
