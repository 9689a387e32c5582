package dev.tandem.ha.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.Durations;
import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.NodeRecord;
import dev.tandem.ha.api.PlaneView;
import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;

/**
 * One node's part of the HA protocol (docs/ha-protocol.md), driven from outside: {@link #start()}, then
 * {@link #tick()} whenever the delay it returns has passed, then {@link #stop()}. These and the operator
 * requests run on one thread at a time (the {@link NodeRunner}'s); {@link #status()},
 * {@link #isActingMaster()}, {@link #effectiveState()}, {@link #history()} may be called from any thread.
 *
 * <p>The node's state and transitions are in {@link NodeContext}, with their invariants; its parts each do
 * one job: {@link RecordIo} (own record, epoch checks), {@link Joiner} (join, start-up table),
 * {@link Watcher} (a standby's watch and the election), {@link Claimer} (claims and pending claims),
 * {@link ModeChange}, {@link Housekeeping} (pruning within a budget), {@link StatusBoard} (what other threads
 * see). A failed store request never leaves a transition half done: a transition happens in one step, after
 * the I/O it depends on has succeeded.
 */
public final class HaNode {
    private static final Logger LOG = LoggerFactory.getLogger(HaNode.class);

    private final NodeContext n;
    private final TickTimer timer;
    private final long startedAt;
    private boolean pruneDue;

    public HaNode(HaSettings settings, PlaneStore store, HaClock clock, String nodeId, String version) {
        this.n = new NodeContext(settings, store, clock, nodeId, version);
        this.timer = new TickTimer(n);
        this.startedAt = clock.nanoTime();
    }

    /** A new node id: random, short enough to read in logs; a restarted node gets a new one, as in Brooklyn. */
    public static String newNodeId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    public String nodeId() {
        return n.nodeId;
    }

    public long uptimeMillis() {
        return (n.clock.nanoTime() - startedAt) / 1_000_000;
    }

    public String storeDescription() {
        return n.store.describe();
    }

    public PlaneStore.ClaimSupport claimSupport() {
        return n.store.claimSupport();
    }

    public NodeStatus status() {
        return n.board.status();
    }

    public HaClock clock() {
        return n.clock;
    }

    public HaSettings settings() {
        return n.settings;
    }

    /** True while this node is MASTER and its lease has not run out: the only time master-only work may run. */
    public boolean isActingMaster() {
        return n.master && n.leaseValid();
    }

    /** The epoch this node is acting master of now, or 0 if it is not acting as master. */
    public long actingEpoch() {
        long epoch = n.myEpoch;
        return isActingMaster() ? epoch : 0;
    }

    /**
     * With persistMode CLEAN: the epoch this node is acting master of now if it is the first epoch claimed since
     * this node joined (no other node has been master since then, and none was live when it joined), else 0. The
     * managed state starts empty in that epoch only ({@link FencedStateStore}'s clean seal): CLEAN never wipes what
     * another master of a live plane wrote.
     */
    public long cleanEpoch() {
        long after = n.cleanAfterEpoch;
        long epoch = actingEpoch();
        return after >= 0 && epoch == after + 1 ? epoch : 0;
    }

    /** HA DISABLED in the configuration and persistMode DISABLED: master of in-memory state, the store untouched. */
    private boolean inMemoryOnly() {
        return !n.settings.haEnabled() && !DisabledMode.ownsStore(n.settings);
    }

    /** HA DISABLED by an operator at run time: the node has left the plane (FAILED) and does nothing more. */
    private boolean leftPlane() {
        return n.settings.haEnabled() && n.mode == HighAvailabilityMode.DISABLED;
    }

    /** When the lease ends (monotonic nanos), for a timer that reports the lapse without waiting for a tick. */
    public long leaseExpiresAt() {
        return n.lease.expiresAtNanos();
    }

    /** How long this node stays master without renewing, now; 0 unless it acts as master. */
    public long leaseRemainingNanos() {
        long left = n.lease.expiresAtNanos() - n.clock.nanoTime();
        return isActingMaster() && left > 0 ? left : 0;
    }

    /** Reports a lapsed lease at once (from any thread): see {@link StatusBoard#leaseLapsed()}. */
    public void leaseDeadlinePassed() {
        n.board.leaseLapsed();
    }

    /** The state to report now; a MASTER whose lease has run out already reports the standby state. */
    public ManagementNodeState effectiveState() {
        return n.board.effectiveState();
    }

    public List<StateTransition> history() {
        return n.board.history();
    }

    /** Tells {@code listener} of every change of the state this node reports (see {@link StatusBoard}). */
    public void addStateListener(Consumer<ManagementNodeState> listener) {
        n.board.addListener(listener);
    }

    public void removeStateListener(Consumer<ManagementNodeState> listener) {
        n.board.removeListener(listener);
    }

    /**
     * Runs {@code hook} (on the node's thread; it must not block) each time a record that releases mastership
     * has been written: from then on, other nodes reading the store see the release.
     */
    public void onReleaseRecorded(Runnable hook) {
        n.releaseHooks.add(hook);
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Joins the plane (with HA DISABLED, claims its store alone: {@link DisabledMode}; with HA and persistence
     * DISABLED, becomes master of its in-memory state without touching the store).
     */
    public void start() {
        if (inMemoryOnly()) {
            n.lease.start(n.clock.nanoTime(), n.clock.currentTimeMillis(), Long.MAX_VALUE / 4);
            n.master = true;
            n.transition(ManagementNodeState.MASTER, "high availability is DISABLED: master of its own state");
            return;
        }
        n.joiner.tryJoin(retryDelay());
    }

    /**
     * One poll: heartbeat (when due), epoch check, then what the node's role asks for.
     *
     * @return nanoseconds until the next tick is due
     */
    public long tick() {
        long now = n.clock.nanoTime();
        long wall = n.clock.currentTimeMillis();
        if (inMemoryOnly() || n.state == ManagementNodeState.TERMINATED) {
            return n.settings.pollPeriod().toNanos();
        }
        if (!n.joined) {
            n.joiner.tryJoin(retryDelay());
            return nextTickDelay();
        }
        if (leftPlane()) {
            return n.settings.pollPeriod().toNanos();
        }
        boolean due = n.io.writeDue(now);
        boolean wrote = due && n.io.writeOwnRecord();
        boolean checked = n.io.refreshEpoch();
        boolean ok = (!due || wrote) && checked;
        if (!ok) {
            n.io.catchUp(); // many epochs may pass while the store cannot be seen; their claims may be pruned
        }
        switch (n.state) {
            case MASTER:
                renewOrFence(now, wall, wrote && checked);
                break;
            case STANDBY:
            case HOT_STANDBY:
            case HOT_BACKUP:
                if (n.claims.pending() != null) {
                    n.claimer.progress(now, wall, wrote && checked);
                } else {
                    n.watcher.watchHolder(now);
                }
                break;
            case INITIALIZING:
                if (DisabledMode.ownsStore(n.settings)) { // not master now: claim the store again, or wait for the fence
                    if (n.claims.pending() != null) {
                        n.claimer.progress(now, wall, wrote && checked);
                    } else if (ok) {
                        n.disabled.claimStore("claiming its store again");
                    }
                }
                break;
            default:
                break;
        }
        if (n.state == ManagementNodeState.MASTER && (pruneDue || now - n.nextPruneAt >= 0)) {
            prune(now + n.settings.renewalDeadline().toNanos() / 2);
        }
        n.publish();
        long delay = timer.nextDelay(n.clock.nanoTime());
        return ok ? delay : Math.min(delay, retryDelay());
    }

    /** Leaves the plane cleanly: stops acting as master, then records TERMINATED (which releases mastership). */
    public void stop() {
        ManagementNodeState before = n.state;
        n.master = false;
        n.lease.end();
        n.myEpoch = 0;
        n.transition(ManagementNodeState.TERMINATED, "stopped");
        if (n.joined && !leftPlane()) {
            if (n.io.writeOwnRecord()) {
                LOG.info("Node {} left the plane cleanly (was {})", n.nodeId, before);
            } else {
                LOG.warn("Node {} stopped but could not record TERMINATED; standbys will take over after the "
                        + "heartbeat timeout ({})", n.nodeId, Durations.format(n.settings.heartbeatTimeout()));
            }
        }
        n.publish();
    }

    /** Applies new timings and priority in place (a mode or store change needs a new node instead). */
    public void updateSettings(HaSettings next) {
        n.settingsChanged(next);
        n.priority = next.priority();
        n.io.markDirty();
        n.publish();
    }

    // ---------------------------------------------------------------- operator requests

    /** Changes mode at run time; returns the state before the change. */
    public ManagementNodeState changeMode(HighAvailabilityMode newMode) {
        ManagementNodeState previous = n.state;
        if (!n.settings.haEnabled()) {
            throw new IllegalStateException("high availability is DISABLED in the configuration ("
                    + HaSettings.HA_MODE + "); edit it to join a plane");
        }
        if (n.state == ManagementNodeState.TERMINATED) {
            throw new IllegalStateException("node " + n.nodeId + " has stopped");
        }
        HighAvailabilityMode oldMode = n.mode;
        n.mode = newMode;
        LOG.info("Mode of node {} changed from {} to {} (state {})", n.nodeId, oldMode, newMode, n.state);
        if (n.joined) {
            new ModeChange(n).apply(newMode);
        }
        n.publish();
        return previous;
    }

    /**
     * Graceful handover (REST step-down): the master stands by, the best other candidate takes over, and
     * this node stays out of elections for {@code holdNanos}, which its record advertises so that nobody
     * waits for it. Its mode does not change.
     */
    public ManagementNodeState stepDown(long holdNanos) {
        ManagementNodeState previous = n.state;
        if (n.state != ManagementNodeState.MASTER) {
            throw new IllegalStateException("node " + n.nodeId + " is " + n.state + ", not MASTER: only the master can step down");
        }
        if (!n.settings.haEnabled()) {
            throw new IllegalStateException("high availability is DISABLED in the configuration (" + HaSettings.HA_MODE
                    + "): there is no other node to hand over to");
        }
        n.eligibility.hold(n.clock.nanoTime(), holdNanos);
        n.stepDown(ManagementNodeState.HOT_STANDBY, "step-down requested (no re-election for "
                + Durations.format(Duration.ofNanos(holdNanos)) + ")");
        n.publish();
        return previous;
    }

    /** Removes the records of all nodes but the master and this one; returns how many were removed. */
    public int clearRecords() throws StoreException {
        return n.housekeeping.clearRecords(n.board.status().masterId());
    }

    /** Removes one node's record; not this node's, nor the master's. */
    public void clearRecord(String id) throws StoreException {
        n.housekeeping.clearRecord(id, n.board.status().masterId());
    }

    /** Sets the election priority (published with the next heartbeat); returns the previous one. */
    public int setPriority(int newPriority) {
        int previous = n.priority;
        n.priority = newPriority;
        n.io.markDirty();
        n.publish();
        return previous;
    }

    /** The plane's audit trail: the claims of the last epochs. */
    public List<EpochClaim> auditTrail() throws StoreException {
        return PlaneViews.auditTrail(n.store);
    }

    /** The plane as this node sees it now (reads every record: for REST and shell, not for the poll loop). */
    public PlaneView view() throws StoreException {
        NodeStatus s = n.board.status();
        if (!n.joined || leftPlane()) {
            long wall = n.clock.currentTimeMillis();
            NodeRecord self = new NodeRecord(n.nodeId, n.settings.nodeUri(), s.state(), s.priority(), n.version,
                    s.epoch(), 0, wall, wall);
            return new PlaneView(s.planeId(), n.nodeId, s.state() == ManagementNodeState.MASTER ? n.nodeId : null,
                    s.epoch(), Map.of(n.nodeId, self));
        }
        return PlaneViews.view(n.store, s, n.nodeId, n.settings.heartbeatTimeout().toMillis());
    }

    // ---------------------------------------------------------------- master

    private void renewOrFence(long tickStart, long tickWall, boolean renewed) {
        if (n.epochs.known() > n.myEpoch) {
            n.loseMastership("node " + java.util.Optional.ofNullable(n.epochs.holder()).orElse("?") + " claimed epoch "
                    + n.epochs.known());
            return;
        }
        if (!n.lease.renew(tickStart, tickWall, n.clock.nanoTime(), n.clock.currentTimeMillis(), renewed,
                n.leaseNanos(), n.settings.renewalDeadline().toNanos())) {
            n.loseMastership("lease of " + Durations.format(java.time.Duration.ofNanos(n.leaseNanos())) + " expired: the store could not be "
                    + "written in time (self-fencing)");
        }
    }

    private void prune(long stopAt) {
        try {
            pruneDue = !n.housekeeping.prune(n.settings.deadRecordRetention().toMillis(),
                    n.settings.heartbeatTimeout().toMillis(), n.epochs.holder(), n.epochs.known(), false, stopAt);
        } catch (StoreException e) {
            n.storeFailures.failed("Node " + n.nodeId + " could not prune inactive records", e);
            pruneDue = false;
        }
        n.nextPruneAt = n.clock.nanoTime() + n.pruneEveryNanos();
    }

    // ---------------------------------------------------------------- timing

    /**
     * Nanoseconds until the next tick is due, judged now: for a runner to call after {@link #start()} or an
     * operator request, which may have made this node master.
     */
    public long nextTickDelay() {
        return n.joined ? timer.nextDelay(n.clock.nanoTime()) : retryDelay();
    }

    private long retryDelay() {
        return timer.retryDelay();
    }
}
