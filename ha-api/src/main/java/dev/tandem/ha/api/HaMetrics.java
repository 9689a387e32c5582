package dev.tandem.ha.api;

import java.util.List;
import java.util.Map;

/**
 * What a node reports about itself for monitoring (REST {@code /v1/server/ha/metrics}).
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
 */
public record HaMetrics(String nodeId, ManagementNodeState state, long epoch, long uptimeMillis, long pollPeriodMillis,
        long heartbeatTimeoutMillis, long leaseMillis, String store, String claimMethod, Map<String, Long> storeRequests,
        List<StateChange> history) {

    public HaMetrics {
        storeRequests = Map.copyOf(storeRequests);
        history = List.copyOf(history);
    }

    /** One change of state: when (epoch millis, this node's clock), from, to, in which epoch, and why. */
    public record StateChange(long timestamp, ManagementNodeState from, ManagementNodeState to, long epoch, String reason) {}
}
