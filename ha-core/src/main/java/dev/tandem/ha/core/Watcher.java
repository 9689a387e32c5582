package dev.tandem.ha.core;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.NodeRecord;
import dev.tandem.ha.api.store.StoreException;

/** A standby's poll: watch the holder of the newest epoch, and run the election when it is gone. */
final class Watcher {
    private static final Logger LOG = LoggerFactory.getLogger(HaNode.class);

    enum HolderGone { RELEASED, TIMED_OUT, UNKNOWN }

    private final NodeContext n;

    Watcher(NodeContext n) {
        this.n = n;
    }

    void watchHolder(long now) {
        if (n.state == ManagementNodeState.HOT_BACKUP && n.mode == HighAvailabilityMode.HOT_BACKUP) {
            return;
        }
        if (n.epochs.known() == 0) {
            elect(now, HolderGone.RELEASED);
            return;
        }
        if (n.epochs.holder() == null && !findHolderInRecords()) {
            if (now - n.watch.deadline() >= 0) {
                elect(now, HolderGone.UNKNOWN);
            }
            return;
        }
        String holder = n.epochs.holder();
        if (holder.equals(n.nodeId)) {
            elect(now, HolderGone.RELEASED); // this node held the epoch and is no longer master
            return;
        }
        for (int read = 1; ; read++) {
            long readStart = n.clock.nanoTime();
            Optional<Peer> peer;
            try {
                peer = n.io.readPeer(holder);
            } catch (StoreException e) {
                return; // never promote while the store cannot be seen
            }
            long readEnd = n.clock.nanoTime();
            if (peer.isPresent() && n.io.isReleased(peer.get())) {
                elect(readEnd, HolderGone.RELEASED);
                return;
            }
            HolderWatch.Verdict v = n.watch.observe(peer.map(p -> p.record().heartbeat()).orElse(-1L),
                    peer.map(p -> p.timeoutMillis() * 1_000_000).orElse(0L),
                    peer.map(p -> p.leaseMillis() * 1_000_000).orElse(0L), n.ownTimeoutNanos(), readStart, readEnd);
            if (v == HolderWatch.Verdict.CHANGED) {
                peer.ifPresent(p -> announceNextBeat(p, readEnd));
            }
            if (v == HolderWatch.Verdict.SILENT) {
                elect(readEnd, HolderGone.TIMED_OUT);
                return;
            }
            if (v == HolderWatch.Verdict.CHANGED || read > 1 || !n.watch.ranOutDuring(readEnd)) {
                return;
            }
            // the timeout ran out while this read was in flight: one more read decides now, not a poll later
        }
    }

    /**
     * Places the holder's announced next heartbeat (its write's wall time plus its interval) on this node's monotonic
     * clock, through this node's wall clock. Only the timing of reads depends on it.
     */
    private void announceNextBeat(Peer holder, long readEnd) {
        if (holder.intervalMillis() <= 0) {
            return; // an older node, or the record was absent
        }
        long wallNow = n.clock.currentTimeMillis();
        long untilMillis = holder.record().localTimestamp() + holder.intervalMillis() - wallNow;
        n.watch.announced(readEnd + untilMillis * 1_000_000, holder.intervalMillis() * 1_000_000);
    }

    /**
     * Whether another node's own record says it is MASTER of the known epoch although the claim names {@code named},
     * which released or fell silent: then the claim was overwritten after that node won the epoch, and that node is the
     * holder to watch (its silence is timed afresh). Electing now would overlap its lease.
     */
    private boolean masterByRecord(List<Peer> records, String named, long now) {
        Optional<Peer> master = masterOfKnownEpoch(records, named, n.nodeId);
        master.ifPresent(p -> {
            LOG.warn("Node {}: the claim of epoch {} names {}, which is not master, but {} says it is master of it "
                    + "(the claim was overwritten by a late write); watching {}", n.nodeId, n.epochs.known(), named,
                    p.nodeId(), p.nodeId());
            n.epochs.holderFoundInRecords(p.nodeId());
            n.watch.reset(now, n.ownTimeoutNanos());
        });
        return master.isPresent();
    }

    /** The claim of the known epoch is unreadable: its holder is the node whose record says MASTER of it. */
    private boolean findHolderInRecords() {
        try {
            Optional<Peer> master = masterOfKnownEpoch(Housekeeping.readAll(n.store));
            master.ifPresent(p -> {
                n.epochs.holderFoundInRecords(p.nodeId());
                LOG.info("Node {}: the claim of epoch {} is unreadable; its holder is {} by its record", n.nodeId,
                        n.epochs.known(), p.nodeId());
            });
            return master.isPresent();
        } catch (StoreException e) {
            n.storeFailures.failed("Node " + n.nodeId + " cannot read the plane's records", e);
        }
        return false;
    }

    /** The first record, of a node other than those {@code except}ed, that says MASTER of the known epoch. */
    private Optional<Peer> masterOfKnownEpoch(List<Peer> records, String... except) {
        List<String> others = List.of(except);
        return records.stream().filter(p -> !others.contains(p.nodeId()))
                .filter(p -> p.record().status() == ManagementNodeState.MASTER && p.record().epoch() == n.epochs.known())
                .findFirst();
    }

    /** Runs the election among fresh electable nodes; claims the next epoch if this node wins. */
    void elect(long now, HolderGone reason) {
        if (!StartupTable.electable(n.mode, n.state)) {
            return;
        }
        List<Peer> records;
        try {
            records = Housekeeping.readAll(n.store);
        } catch (StoreException e) {
            n.storeFailures.failed("Election on node " + n.nodeId + " cannot read the plane", e);
            return;
        }
        String gone = n.epochs.holder();
        if (reason != HolderGone.UNKNOWN && gone != null && masterByRecord(records, gone, now)) {
            return; // the claim's node released or left nothing it held: the node whose record says MASTER is watched
        }
        long ownAge = n.io.ageOfStored(records.stream().filter(p -> p.nodeId().equals(n.nodeId)).findFirst(),
                n.clock.nanoTime());
        Optional<NodeRecord> winner = Election.winner(records, n.io.ownRecord().record(),
                n.eligibility.excluded(now, n.epochs.known()), gone, n.settings.heartbeatTimeout().toMillis(), ownAge);
        if (winner.isPresent() && winner.get().nodeId().equals(n.nodeId)) {
            n.claimer.claim(now, n.clock.currentTimeMillis(), reason != HolderGone.UNKNOWN, n.watch.holderLeaseNanos() / 1_000_000,
                    "election: previous master " + (gone == null ? "none" : gone) + " "
                            + reason.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        } else {
            LOG.debug("Node {}: election for epoch {} ({}) favours {}", n.nodeId, n.epochs.known() + 1, reason,
                    winner.map(NodeRecord::nodeId).orElse("nobody"));
        }
    }
}
