package dev.tandem.ha.core;

/**
 * When a node's next tick is due: every poll, earlier when a deadline (the lease, a pending claim's fence, the
 * holder's silence) falls before the next poll. A leading node's tick is also timed to its heartbeat's due time, so
 * that it writes when its record announced; a standby's to just after the holder's announced heartbeat (see
 * {@link HolderWatch}). Both move a tick that would come within the poll anyway earlier; only a heartbeat that is not
 * there when announced adds ticks (up to {@link HolderWatch#ALIGNED_READS} reads). Pure: reads the node's state,
 * changes nothing.
 */
final class TickTimer {
    private final NodeContext n;

    TickTimer(NodeContext n) {
        this.n = n;
    }

    /** Nanoseconds from {@code now} to the next tick of a node that has joined its plane. */
    long nextDelay(long now) {
        long deadline;
        String holder = n.epochs.holder();
        boolean electable = n.state.isElectable();
        long beat = now; // when a heartbeat is written (leading) or read (standby); now: none
        if (n.master || n.claims.pending() != null) {
            beat = n.io.leadingHeartbeatDueAt();
        } else if (electable && holder != null && n.watch.seenAnything() && n.watch.beatAnnounced()) {
            beat = n.watch.alignedReadAt(n.settings.pollPeriod().toNanos());
        }
        if (n.master) {
            deadline = n.lease.expiresAtNanos();
        } else if (n.claims.pending() != null) {
            deadline = n.claims.pending().fenceAt();
        } else if (electable && holder != null && !n.watch.seenAnything() && !holder.equals(n.nodeId)) {
            deadline = now + retryDelay(); // a holder learned of but not yet read: its silence is not being timed
        } else if (electable && n.epochs.known() > 0) {
            deadline = n.watch.deadline();
        } else {
            deadline = now;
        }
        long poll = n.settings.pollPeriod().toNanos();
        long delay = poll;
        long left = deadline - now;
        // a lease or pending claim gets its renewal attempt a quarter poll before it runs out, also when the
        // deadline falls just after the next poll (a lease shortened by a long timed claim: the renewal must not
        // start a few milliseconds before the lease ends)
        long margin = n.master || n.claims.pending() != null ? poll / 4 : 0;
        if (left > 0 && left - margin < delay) {
            // wake up at a deadline that falls before the next poll, so takeover is not late by a poll
            delay = left > margin ? left - margin : left;
        }
        if (beat - now > 0 && beat - now < delay) {
            delay = beat - now;
        }
        return Math.max(delay, 1_000_000L);
    }

    /** After a tick that could not reach the store, the next comes after a quarter poll. */
    long retryDelay() {
        return Math.max(n.settings.pollPeriod().toNanos() / 4, 1_000_000L);
    }
}
