package dev.tandem.ha.core;

import java.util.List;

import dev.tandem.ha.api.ManagementNodeState;

/**
 * Counts this node's changes into and out of MASTER for the metrics, from the bounded state histories of the
 * node's incarnations (a new one at each rejoin): each call passes the current history; transitions after the last
 * one seen are counted. Counts are exact as long as fewer transitions than a history holds (50) happen between two
 * calls, which at one metrics read per minute needs a failover every second. Thread-safe.
 */
public final class MasterChangeCounter {

    private StateTransition lastSeen;
    private long gained;
    private long lost;

    /** Counts the transitions of {@code history} (oldest first) not seen before; returns {gained, lost}. */
    public synchronized long[] observe(List<StateTransition> history) {
        int from = 0;
        if (lastSeen != null) {
            // the last one seen is normally still in the history; if not (a new incarnation, or more transitions
            // than the history holds since the last call), every transition in it is new
            for (int i = history.size() - 1; i >= 0; i--) {
                if (history.get(i) == lastSeen) {
                    from = i + 1;
                    break;
                }
            }
        }
        for (int i = from; i < history.size(); i++) {
            StateTransition t = history.get(i);
            if (t.to() == ManagementNodeState.MASTER && t.from() != ManagementNodeState.MASTER) {
                gained++;
            } else if (t.from() == ManagementNodeState.MASTER && t.to() != ManagementNodeState.MASTER) {
                lost++;
            }
        }
        if (!history.isEmpty()) {
            lastSeen = history.get(history.size() - 1);
        }
        return new long[] {gained, lost};
    }
}
