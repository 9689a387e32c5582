package dev.tandem.ha.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.NodeRecord;

/**
 * Who should claim the next epoch, from the records an electing node read: electable, fresh (written within
 * the timeout by the store's clock, compared with the elector's own record plus the time since the elector wrote
 * it), not the holder that is gone, not holding after a step-down. Pure: every node computes the same winner from
 * the same records and the same age of its own.
 */
final class Election {
    private Election() {}

    /**
     * @param records     every record read, the elector's own included (as stored)
     * @param self        the elector's record as it would write it now
     * @param selfExcluded whether the elector stays out (a step-down's hold or exclusion)
     * @param goneHolder  the holder whose epoch is being replaced, or null
     * @param timeoutMillis freshness bound (the elector's timeout)
     * @param ownAgeMillis  how long ago (elector's clock) the elector began the write of its record as read: the
     *                      store's "now" is its timestamp plus this. Without it a node that writes its record every
     *                      T/3 would judge a dead node fresh up to T/3 too long. Only the choice among candidates
     *                      depends on it: the claim itself is a create that one node wins.
     */
    static Optional<NodeRecord> winner(List<Peer> records, NodeRecord self, boolean selfExcluded, String goneHolder,
            long timeoutMillis, long ownAgeMillis) {
        long storeNow = records.stream().filter(p -> p.nodeId().equals(self.nodeId()))
                .mapToLong(p -> p.record().remoteTimestamp() + ownAgeMillis).findFirst().orElse(Long.MIN_VALUE);
        List<NodeRecord> candidates = new ArrayList<>();
        if (!selfExcluded) {
            candidates.add(self);
        }
        for (Peer p : records) {
            NodeRecord r = p.record();
            if (!r.nodeId().equals(self.nodeId()) && r.status() != ManagementNodeState.MASTER && r.status().isElectable()
                    && !p.holding() && !r.nodeId().equals(goneHolder) && storeNow != Long.MIN_VALUE
                    && storeNow - r.remoteTimestamp() <= timeoutMillis) {
                candidates.add(r);
            }
        }
        return ElectionPolicy.winner(candidates);
    }
}
