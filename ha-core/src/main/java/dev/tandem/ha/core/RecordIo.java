package dev.tandem.ha.core;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.NodeRecord;
import dev.tandem.ha.api.store.StoreException;

/**
 * A node's own record (written when due or changed) and its view of the epochs (one HEAD per poll; a LIST
 * to catch up after a failed tick). Failures are logged once and answered as values, never thrown into a
 * transition.
 */
final class RecordIo {
    private static final Logger LOG = LoggerFactory.getLogger(HaNode.class);

    private final NodeContext n;
    private long heartbeat;
    /** The heartbeat of the last write that succeeded (it began at {@link #lastWriteAt}), or -1. */
    private long lastWrittenHeartbeat = -1;
    private long lastWriteAt;
    /** The record changed (state, priority) since it was last written: the next tick writes it, due or not. */
    private boolean dirty;
    private boolean catchUp;
    /** The state in the last record the store took, to tell when a release has become visible. */
    private ManagementNodeState lastWritten;

    RecordIo(NodeContext n) {
        this.n = n;
        this.lastWriteAt = n.clock.nanoTime();
    }

    void markDirty() {
        dirty = true;
    }

    /** The next epoch check lists the epochs first (many may have passed while the node could not see them). */
    void catchUp() {
        catchUp = true;
    }

    /** Whether the heartbeat is due: every {@link HaSettings#heartbeatInterval} for its role, or the record changed. */
    boolean writeDue(long now) {
        boolean leading = leading();
        long interval = n.settings.heartbeatInterval(leading).toNanos();
        boolean leaseNear = leading && n.lease.expiresAtNanos() - now < 2 * n.settings.pollPeriod().toNanos();
        return dirty || now - lastWriteAt >= interval || leaseNear;
    }

    private boolean leading() {
        return n.master || n.claims.pending() != null;
    }

    /**
     * When a leading node's next heartbeat is due, on its monotonic clock (its tick is timed to it: standbys read
     * the record just after the time it announces), or 0 for other nodes.
     */
    long leadingHeartbeatDueAt() {
        return leading() ? lastWriteAt + n.settings.heartbeatInterval(true).toNanos() : 0;
    }

    /**
     * How long ago, in milliseconds of this node's clock, the write that left {@code stored} (this node's record as
     * read from the store) began: the store's clock has moved on by about that much since it stamped the record. 0 when
     * the stored record is not from this node's last successful write (a late request landed, or none succeeded).
     */
    long ageOfStored(Optional<Peer> stored, long now) {
        return stored.filter(p -> p.record().heartbeat() == lastWrittenHeartbeat)
                .map(p -> Math.max(0, now - lastWriteAt) / 1_000_000).orElse(0L);
    }

    boolean writeOwnRecord() {
        heartbeat++; // every attempt has its own heartbeat: a late request never repeats what a standby saw
        long start = n.clock.nanoTime();
        if (n.master) {
            // a record advertising a shorter timeout must not leave a longer lease behind it (the timeout changed)
            n.lease.capTo(start, n.clock.currentTimeMillis(), n.leaseNanos());
        }
        try {
            n.store.put(PlaneKeys.node(n.nodeId), RecordCodec.encode(ownRecord()));
            lastWriteAt = start;
            lastWrittenHeartbeat = heartbeat;
            dirty = false;
            ManagementNodeState written = n.state;
            if (lastWritten == ManagementNodeState.MASTER && written != ManagementNodeState.MASTER) {
                n.releaseRecorded(); // others may now read the release in the store
            }
            lastWritten = written;
            n.storeFailures.recovered("Store " + n.store.describe());
            return true;
        } catch (StoreException e) {
            n.storeFailures.failed("Node " + n.nodeId + " cannot write its heartbeat to " + n.store.describe(), e);
            return false;
        }
    }

    Peer ownRecord() {
        long now = n.clock.nanoTime();
        long wall = n.clock.currentTimeMillis();
        NodeRecord r = new NodeRecord(n.nodeId, n.settings.nodeUri(), n.state, n.priority, n.version,
                n.claims.advertisedEpoch(n.epochs.known(), now), heartbeat, wall, wall);
        return new Peer(r, n.settings.heartbeatTimeout().toMillis(), n.leaseNanos() / 1_000_000,
                n.eligibility.excluded(now, n.epochs.known()), n.settings.heartbeatInterval(leading()).toMillis());
    }

    Optional<Peer> readPeer(String id) throws StoreException {
        return n.store.read(PlaneKeys.node(id)).flatMap(Housekeeping::decode);
    }

    Optional<Peer> readPeerQuietly(String id) {
        try {
            return readPeer(id);
        } catch (StoreException e) {
            return Optional.empty();
        }
    }

    /** A holder has released the epoch once its record, written at or after that epoch, no longer says MASTER. */
    boolean isReleased(Peer p) {
        return p.record().epoch() >= n.epochs.known() && p.record().status() != ManagementNodeState.MASTER;
    }

    /** Whether a record was written within its timeout, by the store's clock (start-up only). */
    boolean isFresh(Peer p) {
        long storeNow = readPeerQuietly(n.nodeId).map(x -> x.record().remoteTimestamp()).orElse(p.record().remoteTimestamp());
        long timeout = Math.max(n.settings.heartbeatTimeout().toMillis(), p.timeoutMillis());
        return storeNow - p.record().remoteTimestamp() <= timeout;
    }

    /** Checks for newer epochs; returns whether the store answered. */
    boolean refreshEpoch() {
        try {
            if (catchUp) {
                long newest = n.store.list(PlaneKeys.EPOCHS).stream().mapToLong(PlaneKeys::epochOf).max().orElse(0);
                if (newest > n.epochs.known() + 1) {
                    learnEpoch(newest);
                }
                catchUp = false;
            }
            while (n.store.exists(PlaneKeys.epoch(n.epochs.known() + 1))) {
                learnEpoch(n.epochs.known() + 1);
            }
            return true;
        } catch (StoreException e) {
            n.storeFailures.failed("Node " + n.nodeId + " cannot check the plane's epoch", e);
            return false;
        }
    }

    private void learnEpoch(long epoch) throws StoreException {
        EpochClaim claim = PlaneViews.readClaim(n.store, epoch).orElse(null); // read before believing anything new
        String previousHolder = n.epochs.holder();
        long previousLeaseMillis = n.watch.holderLeaseNanos() / 1_000_000; // the lease it advertised
        n.epochs.advanceTo(epoch, claim);
        long now = n.clock.nanoTime();
        LOG.info("Node {} sees epoch {} held by {}", n.nodeId, epoch, claim == null ? "an unreadable claim" : claim.nodeId());
        n.watch.reset(now, n.ownTimeoutNanos());
        if (claim == null || !claim.nodeId().equals(n.nodeId) || n.state == ManagementNodeState.MASTER
                || n.claims.pending() != null && n.claims.pending().epoch() == epoch) {
            return;
        }
        // This node's claim went through although its answer was lost.
        ClaimState.Attempt attempt = n.claims.unansweredFor(epoch);
        n.claims.answered();
        boolean wants = StartupTable.electable(n.mode, n.state) || n.mode == HighAvailabilityMode.MASTER
                || DisabledMode.ownsStore(n.settings) && n.state == ManagementNodeState.INITIALIZING;
        if (wants && attempt != null && attempt.immediate()) {
            // the previous holder was known to have stopped acting when the attempt began: the lease chain
            // runs from that moment, as for a claim whose answer arrived; the next tick takes over
            n.lease.start(attempt.startNanos(), attempt.startWallMillis(), n.leaseNanos());
            n.claims.startPending(epoch, now, previousHolder, 0);
            LOG.info("Node {} finds it holds epoch {} (its claim's answer was lost); the previous master was gone",
                    n.nodeId, epoch);
            return;
        }
        // The previous master may not know yet: until the fence has passed, this node's record must not show
        // the epoch as released, or another node would claim the next one while the previous master acts.
        long fence = n.claimer.fenceNanos(previousLeaseMillis);
        n.claims.startPending(epoch, now, previousHolder, fence);
        n.lease.end(); // when the claim was made is unknown: no lease chain to build on
        if (!wants) {
            n.claims.dropPending(); // it no longer wants mastership; the cap on its record stays until the fence
        }
        LOG.info("Node {} finds it holds epoch {} (its claim's answer was lost); {} within {} ms", n.nodeId, epoch,
                wants ? "acts once " + previousHolder + " has stepped down or" : "gives it up", fence / 1_000_000);
    }
}
