package dev.tandem.ha.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.store.PlaneStore;

/**
 * What one node knows and is, shared by its parts ({@link RecordIo}, {@link Joiner}, {@link Watcher},
 * {@link Claimer}, {@link ModeChange}), with the transitions between its states. Everything here runs on
 * the node's thread, except what is volatile (read by other threads).
 *
 * <p>States and their invariants (asserted by {@link #checkInvariants()}):
 * <ul>
 * <li>MASTER: {@code master} is set, {@code myEpoch} is the known epoch or older (then the next tick
 *     demotes), no claim is pending; the node acts only while its lease is valid.</li>
 * <li>Pending claim (a standby state with {@link ClaimState#pending()}): the node holds the known epoch but
 *     does not act; its record advertises the epoch before it until the fence has passed.</li>
 * <li>STANDBY, HOT_STANDBY, HOT_BACKUP, INITIALIZING, FAILED, TERMINATED: {@code master} is clear and
 *     {@code myEpoch} is 0.</li>
 * </ul>
 */
final class NodeContext {
    private static final Logger LOG = LoggerFactory.getLogger(HaNode.class);

    final PlaneStore store;
    final HaClock clock;
    final String nodeId;
    final String version;
    final RepeatedFailureLog storeFailures = new RepeatedFailureLog(LOG);
    final Housekeeping housekeeping;
    final EpochView epochs = new EpochView();
    final ClaimState claims = new ClaimState();
    final Lease lease = new Lease();
    final HolderWatch watch = new HolderWatch();
    final Eligibility eligibility = new Eligibility();
    final StatusBoard board;
    final RecordIo io;
    final Claimer claimer;
    final Watcher watcher;
    final Joiner joiner;
    final DisabledMode disabled;

    volatile HaSettings settings;
    HighAvailabilityMode mode;
    ManagementNodeState state = ManagementNodeState.INITIALIZING;
    String failureReason;
    int priority;
    String planeId;
    volatile boolean joined;
    volatile boolean master;
    volatile long myEpoch;
    long nextPruneAt;
    /**
     * persistMode CLEAN, once the check at join found no other live node: the newest epoch at join. Only the epoch
     * after it starts from empty managed state (see {@link HaNode#cleanEpoch()}); -1 otherwise.
     */
    volatile long cleanAfterEpoch = -1;
    /** Told (on the node's thread) once a record that releases mastership has been written. */
    final java.util.List<Runnable> releaseHooks = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** After the timeout was raised in place: the lease stays the shorter one until this time (see {@link #leaseNanos}). */
    private long shorterLeaseUntil;
    private long shorterLeaseNanos;

    NodeContext(HaSettings settings, PlaneStore store, HaClock clock, String nodeId, String version) {
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        this.nodeId = nodeId;
        this.version = version;
        this.mode = settings.mode();
        this.priority = settings.priority();
        this.housekeeping = new Housekeeping(store, clock, nodeId);
        this.board = new StatusBoard(clock, this::leaseValid, new NodeStatus(state, mode, priority, 0, null, null, null));
        this.io = new RecordIo(this);
        this.claimer = new Claimer(this);
        this.watcher = new Watcher(this);
        this.joiner = new Joiner(this);
        this.disabled = new DisabledMode(this);
    }

    boolean leaseValid() {
        return lease.isValid(clock.nanoTime(), clock.currentTimeMillis());
    }

    /**
     * The lease granted by a renewal now. When the timeout is raised in place, a claimant may have read the
     * old, shorter lease from this node's record and fenced for it: the longer lease applies only once such a
     * fence has passed.
     */
    long leaseNanos() {
        long lease = settings.lease().toNanos();
        return clock.nanoTime() - shorterLeaseUntil < 0 ? Math.min(lease, shorterLeaseNanos) : lease;
    }

    void settingsChanged(HaSettings next) {
        long before = leaseNanos();
        settings = next;
        if (next.lease().toNanos() > before) {
            shorterLeaseNanos = before;
            shorterLeaseUntil = clock.nanoTime() + claimer.fenceNanos(before / 1_000_000);
        }
    }

    long ownTimeoutNanos() {
        return settings.heartbeatTimeout().toNanos();
    }

    /** Becomes master of an epoch whose lease chain is already running and valid. */
    void becomeMaster(long epoch, String why) {
        myEpoch = epoch;
        claims.dropPending();
        eligibility.clearExclusion();
        master = true;
        nextPruneAt = clock.nanoTime() + pruneEveryNanos(); // not in the tick that made it master
        transition(ManagementNodeState.MASTER, why);
        io.writeOwnRecord();
    }

    /** Stops acting as master at once, then tells the plane (the record write releases the epoch). */
    void loseMastership(String why) {
        master = false;
        lease.end();
        myEpoch = 0;
        transition(StartupTable.followerState(mode), why);
        io.writeOwnRecord();
    }

    /** Hands mastership over: stops acting, and stays out of the next election (advertised in its record). */
    void stepDown(ManagementNodeState target, String why) {
        long now = clock.nanoTime();
        master = false;
        lease.end();
        myEpoch = 0;
        eligibility.exclude(epochs.known(), now, ownTimeoutNanos());
        transition(target, why + "; handing over to the best other candidate");
        io.writeOwnRecord();
        watch.reset(now, ownTimeoutNanos());
    }

    void fail(String reason) {
        master = false;
        lease.end();
        myEpoch = 0;
        failureReason = reason;
        LOG.error("Node {} is FAILED: {}", nodeId, reason);
        transition(ManagementNodeState.FAILED, reason);
    }

    void transition(ManagementNodeState to, String reason) {
        ManagementNodeState from = state;
        if (to != ManagementNodeState.FAILED) {
            failureReason = null;
        }
        state = to;
        if (from != to) {
            io.markDirty();
            LOG.info("Node {}: {} -> {} (epoch {}): {}", nodeId, from, to, epochs.known(), reason);
            board.record(from, to, epochs.known(), reason);
        }
        publish();
    }

    void publish() {
        checkInvariants();
        String masterId = null;
        String holder = epochs.holder();
        if (state == ManagementNodeState.MASTER) {
            masterId = nodeId;
        } else if (holder != null && claims.pending() == null && !holder.equals(nodeId)) {
            masterId = holder;
        }
        board.publish(new NodeStatus(state, mode, priority, epochs.known(), masterId, planeId, failureReason));
    }

    void releaseRecorded() {
        for (Runnable hook : releaseHooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.warn("A release hook of node {} failed", nodeId, e);
            }
        }
    }

    long pruneEveryNanos() {
        return Math.max(60_000, settings.deadRecordRetention().toMillis() / 10) * 1_000_000;
    }

    /** The states' invariants (see the class comment); a violation is a bug, reported at once. */
    void checkInvariants() {
        boolean isMaster = state == ManagementNodeState.MASTER;
        if (isMaster != master || !isMaster && myEpoch != 0 || isMaster && (myEpoch > epochs.known() || claims.pending() != null)
                || claims.pending() != null && claims.pending().epoch() > epochs.known()) {
            throw new IllegalStateException("node " + nodeId + " broke a state invariant: state " + state + ", master "
                    + master + ", epoch " + myEpoch + " of " + epochs.known() + ", pending " + claims.pending());
        }
    }
}
