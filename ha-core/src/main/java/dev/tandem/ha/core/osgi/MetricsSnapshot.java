package dev.tandem.ha.core.osgi;

import java.util.List;
import java.util.Map;

import dev.tandem.ha.api.HaMetrics;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.core.CountingPlaneStore;
import dev.tandem.ha.core.HaNode;
import dev.tandem.ha.core.HaSettings;
import dev.tandem.ha.core.MasterChangeCounter;
import dev.tandem.ha.core.StateTransition;

/** The figures of {@link HaMetrics}, read from a running node (or those of a node that is not running). */
final class MetricsSnapshot {
    private MetricsSnapshot() {}

    /** A node that is not running: FAILED, with the master changes counted so far (counters never go back). */
    static HaMetrics notRunning(String nodeId, MasterChangeCounter masterChanges) {
        long[] gainedLost = masterChanges.observe(List.of());
        return new HaMetrics(nodeId, ManagementNodeState.FAILED, 0, 0, 0, 0, 0, "none", "none", Map.of(), List.of(),
                gainedLost[0], gainedLost[1], Map.of(), Map.of(), 0);
    }

    static HaMetrics of(HaNode node, HaSettings s, CountingPlaneStore counting, MasterChangeCounter masterChanges) {
        List<StateTransition> transitions = node.history();
        long[] gainedLost = masterChanges.observe(transitions);
        List<HaMetrics.StateChange> history = transitions.stream()
                .map(t -> new HaMetrics.StateChange(t.timestamp(), t.from(), t.to(), t.epoch(), t.reason())).toList();
        return new HaMetrics(node.nodeId(), node.status().state(), node.status().epoch(), node.uptimeMillis(),
                s.pollPeriod().toMillis(), s.heartbeatTimeout().toMillis(), s.lease().toMillis(),
                node.storeDescription(), node.claimSupport() == PlaneStore.ClaimSupport.ATOMIC ? "ATOMIC" : "TIMED",
                counting == null ? Map.of() : counting.counts(), history, gainedLost[0], gainedLost[1],
                counting == null ? Map.of() : counting.failures(), counting == null ? Map.of() : counting.latencies(),
                node.leaseRemainingNanos() / 1_000_000);
    }
}
