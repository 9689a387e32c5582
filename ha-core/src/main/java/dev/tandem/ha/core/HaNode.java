package dev.tandem.ha.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.Durations;
import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.NodeRecord;
import dev.tandem.ha.api.PlaneView;
import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.api.store.StoredObject;

/**
 * One node's part of the HA protocol (docs/ha-protocol.md), as a state machine driven from outside:
 * {@link #start()}, then {@link #tick()} whenever the delay it returns has passed, then {@link #stop()}.
 * All of these, and {@link #changeMode} and {@link #setPriority}, must be called from one thread at a
 * time (the {@link NodeRunner}'s); {@link #status()}, {@link #isActingMaster()}, {@link #view()} and
 * {@link #history()} may be called from any thread.
 *
 * <p>Mastership is held per epoch: epoch N belongs to the node that created the store object
 * {@code plane/epochs/N} (created only if absent). A master acts only while its lease is valid; the
 * lease is renewed by a tick whose heartbeat write and epoch check both succeed within the renewal
 * deadline, and lasts from the start of that tick. A standby takes over when the holder of the newest
 * epoch has released it (its record shows it is no longer master) or when its heartbeat counter has not
 * changed for the heartbeat timeout on the standby's own monotonic clock. Wall clocks are never compared.
 */
public final class HaNode {
    private static final Logger LOG = LoggerFactory.getLogger(HaNode.class);
    private static final int HISTORY_SIZE = 50;
    private static final int MAX_EPOCH_STEPS = 1000;

    /** What a node believes, published after every step for readers on other threads. */
    public record Status(ManagementNodeState state, HighAvailabilityMode mode, int priority, long epoch,
            String masterId, String planeId, String failureReason) {}

    private enum HolderGone { RELEASED, TIMED_OUT, UNKNOWN }

    private final PlaneStore store;
    private final HaClock clock;
    private final String nodeId;
    private final String version;
    private final RepeatedFailureLog storeFailures = new RepeatedFailureLog(LOG);
    private final Deque<StateTransition> history = new ArrayDeque<>();

    private volatile HaSettings settings;
    private HighAvailabilityMode mode;
    private ManagementNodeState state = ManagementNodeState.INITIALIZING;
    private String failureReason;
    private int priority;
    private String planeId;
    private volatile boolean joined;
    private long heartbeat;
    private long ticks;

    /** Highest epoch seen in the store, and its claim (null if unreadable). */
    private long knownEpoch;
    private EpochClaim currentClaim;
    /** The epoch held while MASTER. */
    private volatile long myEpoch;
    private volatile long leaseExpiresAt;
    private volatile boolean master;

    /** Watch of the holder of {@link #knownEpoch}, on this node's monotonic clock. */
    private long watchedHeartbeat = Long.MIN_VALUE;
    private long watchedChangeAt;

    /** A claimed epoch this node waits to act on until the previous holder released or the fence passed. */
    private long pendingEpoch;
    private long pendingFenceAt;
    private String pendingPreviousHolder;
    /**
     * Until {@code fenceUntil} this node's record advertises no epoch above {@code fenceCap}: a claim that
     * has not passed its fence must not look released, or others would act while the previous master may.
     */
    private long fenceCap = Long.MAX_VALUE;
    private long fenceUntil;

    /** After stepping down, this node stays out of elections until a newer epoch exists or this time passes. */
    private long excludedUpToEpoch = -1;
    private long excludedUntil;
    /** After a requested step-down, this node stays out of elections until this time, whatever the epoch. */
    private long holdUntil;
    private final long startedAt;

    private volatile Status status;

    public HaNode(HaSettings settings, PlaneStore store, HaClock clock, String nodeId, String version) {
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        this.nodeId = nodeId;
        this.version = version;
        this.mode = settings.mode();
        this.priority = settings.priority();
        this.startedAt = clock.nanoTime();
        this.holdUntil = startedAt;
        publish();
    }

    public long uptimeMillis() {
        return (clock.nanoTime() - startedAt) / 1_000_000;
    }

    public String storeDescription() {
        return store.describe();
    }

    public PlaneStore.ClaimSupport claimSupport() {
        return store.claimSupport();
    }

    /** A new node id: random, short enough to read in logs; a restarted node gets a new one, as in Brooklyn. */
    public static String newNodeId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    public String nodeId() {
        return nodeId;
    }

    public Status status() {
        return status;
    }

    public HaSettings settings() {
        return settings;
    }

    /** True while this node is MASTER and its lease has not run out: the only time master-only work may run. */
    public boolean isActingMaster() {
        return master && clock.nanoTime() - leaseExpiresAt < 0;
    }

    /** The epoch this node is acting master of now, or 0 if it is not acting as master. */
    public long actingEpoch() {
        long epoch = myEpoch;
        return isActingMaster() ? epoch : 0;
    }

    /**
     * The state to report now: as published, except that a MASTER whose lease has run out (say, a process
     * resumed after SIGSTOP whose poll has not run yet) already reports the standby state it is about to
     * enter, never MASTER.
     */
    public ManagementNodeState effectiveState() {
        Status s = status;
        if (s.state() == ManagementNodeState.MASTER && !isActingMaster()) {
            return followerState(s.mode());
        }
        return s.state();
    }

    public List<StateTransition> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** Joins the plane (or, with HA DISABLED, becomes master of its own state without touching the store). */
    public void start() {
        if (!settings.haEnabled()) {
            leaseExpiresAt = Long.MAX_VALUE;
            master = true;
            transition(ManagementNodeState.MASTER, "high availability is DISABLED: master of its own state");
            return;
        }
        tryJoin();
    }

    /**
     * One poll: heartbeat, epoch check, then what the node's role asks for.
     *
     * @return nanoseconds until the next tick is due
     */
    public long tick() {
        long now = clock.nanoTime();
        ticks++;
        if (!settings.haEnabled() || state == ManagementNodeState.TERMINATED) {
            return settings.pollPeriod().toNanos();
        }
        if (!joined) {
            tryJoin();
            return nextTickDelay();
        }
        if (mode == HighAvailabilityMode.DISABLED) {
            return settings.pollPeriod().toNanos();
        }
        boolean wrote = writeOwnRecord();
        boolean checked = refreshEpoch();
        switch (state) {
            case MASTER:
                renewOrFence(now, wrote && checked);
                break;
            case STANDBY:
            case HOT_STANDBY:
            case HOT_BACKUP:
                if (pendingEpoch > 0) {
                    progressPendingClaim(now, wrote && checked);
                } else {
                    watchHolder(now);
                }
                break;
            default:
                break;
        }
        if (state == ManagementNodeState.MASTER && ticks % pruneEveryTicks() == 0) {
            pruneDeadRecords(settings.deadRecordRetention().toMillis(), false);
        }
        publish();
        long delay = nextDelay(clock.nanoTime());
        return wrote && checked ? delay : Math.min(delay, retryDelay());
    }

    /** Leaves the plane cleanly: stops acting as master, then records TERMINATED (which releases mastership). */
    public void stop() {
        ManagementNodeState before = state;
        master = false;
        transition(ManagementNodeState.TERMINATED, "stopped");
        if (joined && settings.haEnabled() && mode != HighAvailabilityMode.DISABLED) {
            if (writeOwnRecord()) {
                LOG.info("Node {} left the plane cleanly (was {})", nodeId, before);
            } else {
                LOG.warn("Node {} stopped but could not record TERMINATED; standbys will take over after the "
                        + "heartbeat timeout ({})", nodeId, Durations.format(settings.heartbeatTimeout()));
            }
        }
        publish();
    }

    /** Applies new timings and priority in place (a mode or store change needs a new node instead). */
    public void updateSettings(HaSettings next) {
        this.settings = next;
        this.priority = next.priority();
        publish();
    }

    // ---------------------------------------------------------------- operator requests

    /** Changes mode at run time (SPEC §3); returns the state before the change. */
    public ManagementNodeState changeMode(HighAvailabilityMode newMode) {
        ManagementNodeState previous = state;
        if (!settings.haEnabled()) {
            throw new IllegalStateException("high availability is DISABLED in the configuration ("
                    + HaSettings.HA_MODE + "); edit it to join a plane");
        }
        if (state == ManagementNodeState.TERMINATED) {
            throw new IllegalStateException("node " + nodeId + " has stopped");
        }
        HighAvailabilityMode oldMode = mode;
        mode = newMode;
        LOG.info("Mode of node {} changed from {} to {} (state {})", nodeId, oldMode, newMode, state);
        if (!joined) {
            publish();
            return previous;
        }
        switch (newMode) {
            case DISABLED:
                if (state == ManagementNodeState.MASTER) {
                    master = false;
                }
                pendingEpoch = 0;
                fail("high availability DISABLED by an operator: the node has left the plane");
                writeOwnRecord();
                break;
            case MASTER:
                if (state == ManagementNodeState.FAILED || state == ManagementNodeState.INITIALIZING) {
                    enterMode("mode changed to MASTER");
                } else if (state != ManagementNodeState.MASTER && pendingEpoch == 0) {
                    if (state == ManagementNodeState.HOT_BACKUP) {
                        // it now wants mastership: electable, so that a claim that fails is retried by elections
                        transition(ManagementNodeState.HOT_STANDBY, "mode changed to MASTER");
                    }
                    takeOver("mode changed to MASTER");
                }
                break;
            case AUTO:
                if (state == ManagementNodeState.FAILED || state == ManagementNodeState.INITIALIZING) {
                    enterMode("mode changed to AUTO");
                } else if (state != ManagementNodeState.MASTER) {
                    transition(ManagementNodeState.HOT_STANDBY, "mode changed to AUTO");
                }
                break;
            default:
                ManagementNodeState target = followerState(newMode);
                if (state == ManagementNodeState.MASTER) {
                    stepDown(target, "mode changed to " + newMode);
                } else if (state == ManagementNodeState.FAILED || state == ManagementNodeState.INITIALIZING) {
                    enterMode("mode changed to " + newMode);
                } else {
                    pendingEpoch = newMode == HighAvailabilityMode.HOT_BACKUP ? 0 : pendingEpoch;
                    transition(target, "mode changed to " + newMode);
                }
                break;
        }
        publish();
        return previous;
    }

    /**
     * Graceful handover (REST step-down): the master stands by, the best other candidate takes over, and
     * this node stays out of elections for {@code holdNanos}. Its mode does not change.
     */
    public ManagementNodeState stepDown(long holdNanos) {
        ManagementNodeState previous = state;
        if (state != ManagementNodeState.MASTER) {
            throw new IllegalStateException("node " + nodeId + " is " + state + ", not MASTER: only the master can step down");
        }
        holdUntil = clock.nanoTime() + holdNanos;
        stepDown(ManagementNodeState.HOT_STANDBY, "step-down requested (no re-election for "
                + Durations.format(java.time.Duration.ofNanos(holdNanos)) + ")");
        publish();
        return previous;
    }

    /** Removes the records of all nodes but the master and this one; returns how many were removed. */
    public int clearRecords() throws StoreException {
        String masterId = status.masterId();
        int removed = 0;
        for (String key : store.list(PlaneKeys.NODES)) {
            String id = PlaneKeys.nodeIdOf(key);
            if (id != null && !id.equals(nodeId) && !id.equals(masterId)) {
                store.delete(key);
                removed++;
            }
        }
        LOG.info("Node {} removed {} records of other nodes on request", nodeId, removed);
        return removed;
    }

    /** Removes one node's record; not this node's, nor the master's. */
    public void clearRecord(String id) throws StoreException {
        String accepted = "the id of a node other than this one (" + nodeId + ") and the master";
        if (id == null || id.isBlank() || id.equals(nodeId) || id.equals(status.masterId())
                || !id.matches("[A-Za-z0-9._-]+")) {
            throw new dev.tandem.ha.api.InvalidValueException("nodeId", id, accepted);
        }
        if (!store.exists(PlaneKeys.node(id))) {
            throw new dev.tandem.ha.api.InvalidValueException("nodeId", id, accepted + " that has a record");
        }
        store.delete(PlaneKeys.node(id));
        LOG.info("Node {} removed the record of node {} on request", nodeId, id);
    }

    /** Sets the election priority (published with the next heartbeat); returns the previous one. */
    public int setPriority(int newPriority) {
        int previous = priority;
        priority = newPriority;
        publish();
        return previous;
    }

    // ---------------------------------------------------------------- joining

    private void tryJoin() {
        try {
            store.open(List.of(PlaneKeys.NODES, PlaneKeys.EPOCHS, FencedStateStore.VALUES, FencedStateStore.SEALS));
            planeId = readOrCreatePlaneId();
            List<String> claims = store.list(PlaneKeys.EPOCHS);
            knownEpoch = claims.stream().mapToLong(PlaneKeys::epochOf).max().orElse(0);
            currentClaim = knownEpoch > 0 ? readClaim(knownEpoch).orElse(null) : null;
            resetWatch(clock.nanoTime());
            if (settings.removeInactiveOnStartup().toMillis() > 0) {
                pruneDeadRecords(settings.removeInactiveOnStartup().toMillis(), true);
            }
            store.put(PlaneKeys.node(nodeId), RecordCodec.encode(ownRecord()));
            storeFailures.recovered("Store " + store.describe());
            joined = true;
            LOG.info("Node {} joined plane {} on {} (epoch {}, mode {})", nodeId, planeId, store.describe(),
                    knownEpoch, mode);
            enterMode("start");
        } catch (StoreException e) {
            storeFailures.failed("Node " + nodeId + " cannot join the plane yet: store " + store.describe()
                    + " is not usable; retrying every " + Durations.format(java.time.Duration.ofNanos(retryDelay())), e);
        }
        publish();
    }

    private String readOrCreatePlaneId() throws StoreException {
        String fresh = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        if (store.createIfAbsent(PlaneKeys.PLANE_ID, fresh.getBytes(StandardCharsets.UTF_8))) {
            return fresh;
        }
        Optional<StoredObject> existing = store.read(PlaneKeys.PLANE_ID);
        String id = existing.map(o -> RecordCodec.decodeText(o.content())).orElse("");
        if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new StoreException("the plane id in " + PlaneKeys.PLANE_ID + " is unreadable; remove it to start a new plane");
        }
        return id;
    }

    /** Puts the node in the state its mode asks for, given the plane as it is now (SPEC §3 start-up table). */
    private void enterMode(String why) {
        long now = clock.nanoTime();
        Optional<NodeRecord> holder = knownEpoch == 0 || currentClaim == null ? Optional.empty() : readNodeQuietly(currentClaim.nodeId());
        long readEnd = clock.nanoTime();
        boolean released = knownEpoch == 0 || holder.map(this::isReleased).orElse(false)
                || currentClaim != null && currentClaim.nodeId().equals(nodeId);
        boolean healthyMaster = !released && holder.isPresent() && holder.get().status() == ManagementNodeState.MASTER
                && isFresh(holder.get());
        String masterName = currentClaim == null ? "unknown" : currentClaim.nodeId();
        resetWatch(now);
        if (holder.isPresent() && !released) {
            // this read already observed the holder: its silence is timed from here, not from the next poll
            watchedHeartbeat = holder.get().heartbeat();
            watchedChangeAt = readEnd;
        }
        switch (mode) {
            case AUTO:
                transition(ManagementNodeState.HOT_STANDBY, why + ": " + (released ? "no master; electing" : "master is " + masterName));
                if (released) {
                    elect(now, HolderGone.RELEASED);
                }
                break;
            case MASTER:
                if (healthyMaster) {
                    fail("Master already exists; cannot run as master (master " + masterName + ")");
                } else {
                    transition(ManagementNodeState.HOT_STANDBY, why + ": claiming mastership");
                    claim(now, released, "start in mode MASTER");
                    if (state != ManagementNodeState.MASTER && pendingEpoch == 0) {
                        fail("Another node became master while this node tried to (master "
                                + (currentClaim == null ? "unknown" : currentClaim.nodeId()) + "); cannot run as master");
                    }
                }
                break;
            case STANDBY:
            case HOT_STANDBY:
                if (healthyMaster) {
                    transition(followerState(mode), why + ": master is " + masterName);
                } else {
                    fail("No existing master; cannot start as " + mode);
                }
                break;
            case HOT_BACKUP:
                transition(ManagementNodeState.HOT_BACKUP, why);
                break;
            default:
                fail("high availability DISABLED by an operator: the node has left the plane");
                break;
        }
        writeOwnRecord();
    }

    // ---------------------------------------------------------------- master

    private void renewOrFence(long tickStart, boolean renewed) {
        if (knownEpoch > myEpoch) {
            loseMastership("node " + (currentClaim == null ? "?" : currentClaim.nodeId()) + " claimed epoch " + knownEpoch);
            return;
        }
        if (!renewLease(tickStart, renewed)) {
            loseMastership("lease of " + Durations.format(settings.lease()) + " expired: the store could not be "
                    + "written in time (self-fencing)");
        }
    }

    /**
     * Extends the lease from this tick's start if the tick renewed it (heartbeat written, epoch checked,
     * within the renewal deadline) and the lease was still valid when the tick began: after a lapse (a
     * long pause, an outage) the standbys may already have taken over, so the chain is broken for good.
     *
     * @return whether the lease is valid now
     */
    private boolean renewLease(long tickStart, boolean renewed) {
        long end = clock.nanoTime();
        boolean validAtStart = tickStart - leaseExpiresAt < 0;
        if (validAtStart && renewed && end - tickStart <= settings.renewalDeadline().toNanos()) {
            leaseExpiresAt = tickStart + settings.lease().toNanos();
        } else {
            LOG.debug("Node {}: lease not renewed (valid at start {}, renewed {}, took {} ms)", nodeId, validAtStart,
                    renewed, (end - tickStart) / 1_000_000);
        }
        return validAtStart && end - leaseExpiresAt < 0;
    }

    /** Becomes master of an epoch whose lease chain ({@link #leaseExpiresAt}) is already running and valid. */
    private void becomeMaster(long epoch, String why) {
        myEpoch = epoch;
        pendingEpoch = 0;
        excludedUpToEpoch = -1;
        master = true;
        transition(ManagementNodeState.MASTER, why);
        writeOwnRecord();
    }

    /** Stops acting as master at once, then tells the plane (the record write releases the epoch). */
    private void loseMastership(String why) {
        master = false;
        myEpoch = 0;
        transition(followerState(mode), why);
        writeOwnRecord();
    }

    private void stepDown(ManagementNodeState target, String why) {
        long now = clock.nanoTime();
        master = false;
        myEpoch = 0;
        excludedUpToEpoch = knownEpoch;
        excludedUntil = now + settings.heartbeatTimeout().toNanos();
        transition(target, why + "; handing over to the best other candidate");
        writeOwnRecord();
        resetWatch(now);
    }

    // ---------------------------------------------------------------- standby

    private void watchHolder(long now) {
        if (state == ManagementNodeState.HOT_BACKUP && mode == HighAvailabilityMode.HOT_BACKUP) {
            return;
        }
        if (knownEpoch == 0) {
            elect(now, HolderGone.RELEASED);
            return;
        }
        if (currentClaim == null) {
            if (now - watchedChangeAt >= settings.heartbeatTimeout().toNanos()) {
                elect(now, HolderGone.UNKNOWN);
            }
            return;
        }
        if (currentClaim.nodeId().equals(nodeId)) {
            elect(now, HolderGone.RELEASED); // this node held the epoch and is no longer master
            return;
        }
        // Silence is measured from the END of the read that saw the last change to the START of a read
        // that sees none: the holder's unseen renewals must then have begun before its lease ran out,
        // however slow either read was (docs/ha-protocol.md, "takeover after silence").
        long timeout = settings.heartbeatTimeout().toNanos();
        for (int read = 1; ; read++) {
            long readStart = clock.nanoTime();
            Optional<NodeRecord> holder;
            try {
                holder = readNode(currentClaim.nodeId());
            } catch (StoreException e) {
                return; // never promote while the store cannot be seen
            }
            long readEnd = clock.nanoTime();
            if (holder.isPresent() && isReleased(holder.get())) {
                elect(readEnd, HolderGone.RELEASED);
                return;
            }
            long hb = holder.map(NodeRecord::heartbeat).orElse(-1L);
            if (hb != watchedHeartbeat) {
                watchedHeartbeat = hb;
                watchedChangeAt = readEnd;
                return;
            }
            if (readStart - watchedChangeAt >= timeout) {
                elect(readEnd, HolderGone.TIMED_OUT);
                return;
            }
            if (read > 1 || readEnd - watchedChangeAt < timeout) {
                return;
            }
            // the timeout ran out while this read was in flight: one more read decides now, not a poll later
        }
    }

    /** Runs the election among fresh electable nodes; claims the next epoch if this node wins. */
    private void elect(long now, HolderGone reason) {
        if (!isElectable()) {
            return;
        }
        List<NodeRecord> records;
        try {
            records = readAllNodes();
        } catch (StoreException e) {
            storeFailures.failed("Election on node " + nodeId + " cannot read the plane", e);
            return;
        }
        long storeNow = records.stream().filter(r -> r.nodeId().equals(nodeId)).mapToLong(NodeRecord::remoteTimestamp)
                .findFirst().orElse(Long.MIN_VALUE);
        String goneHolder = currentClaim == null ? null : currentClaim.nodeId();
        boolean selfExcluded = excludedUpToEpoch >= knownEpoch && now - excludedUntil < 0 || now - holdUntil < 0;
        List<NodeRecord> candidates = new ArrayList<>();
        for (NodeRecord r : records) {
            boolean self = r.nodeId().equals(nodeId);
            if (self) {
                if (!selfExcluded) {
                    candidates.add(ownRecord());
                }
            } else if (r.status() != ManagementNodeState.MASTER && r.status().isElectable()
                    && !r.nodeId().equals(goneHolder) && storeNow != Long.MIN_VALUE
                    && storeNow - r.remoteTimestamp() <= settings.heartbeatTimeout().toMillis()) {
                candidates.add(r);
            }
        }
        Optional<NodeRecord> winner = ElectionPolicy.winner(candidates);
        if (winner.isPresent() && winner.get().nodeId().equals(nodeId)) {
            LOG.debug("Node {} wins the election for epoch {} ({})", nodeId, knownEpoch + 1, reason);
            claim(now, reason != HolderGone.UNKNOWN, "election: previous master "
                    + (goneHolder == null ? "none" : goneHolder) + " " + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        } else {
            LOG.debug("Node {}: election for epoch {} ({}) favours {}", nodeId, knownEpoch + 1, reason,
                    winner.map(NodeRecord::nodeId).orElse("nobody"));
        }
    }

    /** A mode change to MASTER on a standby: claim now, act once the old master has let go or the fence passed. */
    private void takeOver(String why) {
        long now = clock.nanoTime();
        boolean released = knownEpoch == 0 || currentClaim == null
                || readNodeQuietly(currentClaim.nodeId()).map(this::isReleased).orElse(false);
        LOG.info("Node {}: {}; taking over from {}", nodeId, why, currentClaim == null ? "nobody" : currentClaim.nodeId());
        claim(now, released, why);
    }

    /**
     * Claims epoch {@code knownEpoch + 1}. The claim is atomic; {@code immediate} says whether the previous
     * holder is known to have stopped acting (released, or silent for the heartbeat timeout). If not, the
     * node waits for it to release or for the fence delay before acting.
     */
    private void claim(long start, boolean immediate, String reason) {
        long expected = knownEpoch;
        try {
            long newest = store.list(PlaneKeys.EPOCHS).stream().mapToLong(PlaneKeys::epochOf).max().orElse(0);
            if (newest > expected) {
                refreshEpoch();
                return; // somebody else claimed first
            }
            long target = expected + 1;
            EpochClaim mine = new EpochClaim(target, nodeId, settings.nodeUri(), clock.currentTimeMillis(), reason);
            if (!store.createIfAbsent(PlaneKeys.epoch(target), RecordCodec.encode(mine))) {
                refreshEpoch();
                return;
            }
            long claimed = clock.nanoTime(); // the fence counts from here: the claim is visible by now
            String previousHolder = currentClaim == null ? null : currentClaim.nodeId();
            knownEpoch = target;
            currentClaim = mine;
            if (target > PlaneKeys.EPOCHS_KEPT) {
                store.delete(PlaneKeys.epoch(target - PlaneKeys.EPOCHS_KEPT));
            }
            leaseExpiresAt = start + settings.lease().toNanos(); // the chain starts before the claim
            if (immediate) {
                becomeMaster(target, "won epoch " + target
                        + (previousHolder == null ? "" : " (previous master " + previousHolder + " gone)"));
            } else {
                startPending(target, claimed, previousHolder);
                LOG.info("Node {} claimed epoch {}; acts as master once {} has stepped down or within {}", nodeId,
                        target, previousHolder, Durations.format(settings.fenceDelay()));
                writeOwnRecord();
            }
        } catch (StoreException e) {
            storeFailures.failed("Node " + nodeId + " could not claim epoch " + (expected + 1), e);
        }
    }

    private void startPending(long epoch, long claimedAt, String previousHolder) {
        pendingEpoch = epoch;
        pendingFenceAt = claimedAt + settings.fenceDelay().toNanos();
        pendingPreviousHolder = previousHolder;
        fenceCap = epoch - 1;
        fenceUntil = pendingFenceAt;
    }

    /**
     * A claimed epoch becomes mastership once the previous master has stepped down or the fence has
     * passed, provided this node's own lease chain (started at the claim, renewed by its heartbeats) is
     * unbroken. If the chain broke, the claim is given up once the fence has passed.
     */
    private void progressPendingClaim(long tickStart, boolean renewed) {
        long now = clock.nanoTime();
        if (knownEpoch > pendingEpoch) {
            LOG.info("Node {}: epoch {} superseded by {} before it took over", nodeId, pendingEpoch, knownEpoch);
            pendingEpoch = 0;
            resetWatch(now);
            return;
        }
        boolean leaseValid = renewLease(tickStart, renewed);
        // released: the previous holder's record, written after it learned of its own epoch, is not MASTER
        boolean released = pendingPreviousHolder != null && readNodeQuietly(pendingPreviousHolder)
                .map(r -> r.status() != ManagementNodeState.MASTER && r.epoch() >= pendingEpoch - 1).orElse(false);
        boolean fenced = now - pendingFenceAt >= 0;
        if ((released || fenced) && leaseValid) {
            if (released) {
                fenceUntil = now; // nobody else can be acting: the claim may show as it is
            }
            becomeMaster(pendingEpoch, "took over epoch " + pendingEpoch + (released
                    ? " after " + pendingPreviousHolder + " stepped down" : " after the fence delay"));
        } else if (fenced) {
            LOG.info("Node {} gives up epoch {}: its own heartbeats lapsed while it waited", nodeId, pendingEpoch);
            pendingEpoch = 0;
            resetWatch(now);
        }
    }

    // ---------------------------------------------------------------- store access

    /** Checks for newer epochs (one HEAD per poll in the steady state). */
    private boolean refreshEpoch() {
        try {
            int steps = 0;
            while (steps++ < MAX_EPOCH_STEPS && store.exists(PlaneKeys.epoch(knownEpoch + 1))) {
                EpochClaim claim = readClaim(knownEpoch + 1).orElse(null); // read before believing anything new
                EpochClaim previous = currentClaim;
                knownEpoch++;
                currentClaim = claim;
                onNewEpoch(previous);
            }
            return true;
        } catch (StoreException e) {
            storeFailures.failed("Node " + nodeId + " cannot check the plane's epoch", e);
            return false;
        }
    }

    private void onNewEpoch(EpochClaim previous) {
        long now = clock.nanoTime();
        LOG.info("Node {} sees epoch {} held by {}", nodeId, knownEpoch, currentClaim == null ? "an unreadable claim" : currentClaim.nodeId());
        resetWatch(now);
        if (excludedUpToEpoch >= 0 && excludedUpToEpoch < knownEpoch) {
            excludedUpToEpoch = -1;
        }
        if (currentClaim != null && currentClaim.nodeId().equals(nodeId) && state != ManagementNodeState.MASTER
                && pendingEpoch != knownEpoch) {
            // This node's claim went through although its answer was lost, and the previous master may not
            // know yet. Until the fence has passed, this node's record must not show the epoch as released,
            // or another node would claim the next one while the previous master still acts.
            String previousHolder = previous == null ? null : previous.nodeId();
            startPending(knownEpoch, now, previousHolder);
            if (isElectable() || mode == HighAvailabilityMode.MASTER) {
                leaseExpiresAt = now; // when the claim was made is unknown: no lease chain to build on
                LOG.info("Node {} finds it holds epoch {} (its claim's answer was lost); acts once {} has stepped down "
                        + "or within {}", nodeId, knownEpoch, previousHolder, Durations.format(settings.fenceDelay()));
            } else {
                pendingEpoch = 0; // it no longer wants mastership; the cap on its record stays until the fence
                LOG.info("Node {} finds it holds epoch {} (its claim's answer was lost) but is {} now: it gives the "
                        + "epoch up in {}", nodeId, knownEpoch, state, Durations.format(settings.fenceDelay()));
            }
        }
    }

    private void resetWatch(long now) {
        watchedHeartbeat = Long.MIN_VALUE;
        watchedChangeAt = now;
    }

    private boolean writeOwnRecord() {
        heartbeat++;
        try {
            store.put(PlaneKeys.node(nodeId), RecordCodec.encode(ownRecord()));
            storeFailures.recovered("Store " + store.describe());
            return true;
        } catch (StoreException e) {
            storeFailures.failed("Node " + nodeId + " cannot write its heartbeat to " + store.describe(), e);
            return false;
        }
    }

    private NodeRecord ownRecord() {
        boolean capped = pendingEpoch > 0 || clock.nanoTime() - fenceUntil < 0;
        long advertisedEpoch = capped ? Math.min(knownEpoch, fenceCap) : knownEpoch;
        return new NodeRecord(nodeId, settings.nodeUri(), state, priority, version, advertisedEpoch, heartbeat,
                clock.currentTimeMillis(), clock.currentTimeMillis());
    }

    private Optional<EpochClaim> readClaim(long epoch) throws StoreException {
        Optional<StoredObject> o = store.read(PlaneKeys.epoch(epoch));
        Optional<EpochClaim> claim = o.flatMap(x -> RecordCodec.decodeClaim(x.content()));
        if (o.isPresent() && (claim.isEmpty() || claim.get().epoch() != epoch)) {
            LOG.warn("Claim record {} is unreadable; treating its holder as unknown", PlaneKeys.epoch(epoch));
            return Optional.empty();
        }
        return claim;
    }

    private Optional<NodeRecord> readNode(String id) throws StoreException {
        return store.read(PlaneKeys.node(id)).flatMap(this::decodeNode);
    }

    private Optional<NodeRecord> readNodeQuietly(String id) {
        try {
            return readNode(id);
        } catch (StoreException e) {
            return Optional.empty();
        }
    }

    private Optional<NodeRecord> decodeNode(StoredObject o) {
        Optional<NodeRecord> r = RecordCodec.decodeNode(o.content(), o.lastModified());
        if (r.isEmpty()) {
            LOG.debug("Ignoring unreadable record {}", o.key());
        }
        return r.filter(x -> o.key().equals(PlaneKeys.node(x.nodeId())));
    }

    private List<NodeRecord> readAllNodes() throws StoreException {
        List<NodeRecord> out = new ArrayList<>();
        for (Optional<StoredObject> o : store.readAll(store.list(PlaneKeys.NODES))) {
            o.flatMap(this::decodeNode).ifPresent(out::add);
        }
        return out;
    }

    /** Deletes records of nodes that are gone (terminated, failed or silent) and older than the given age. */
    private void pruneDeadRecords(long olderThanMillis, boolean atStartup) {
        try {
            List<NodeRecord> records = readAllNodes();
            long storeNow = records.stream().mapToLong(NodeRecord::remoteTimestamp).max().orElse(0);
            if (!atStartup) {
                storeNow = records.stream().filter(r -> r.nodeId().equals(nodeId))
                        .mapToLong(NodeRecord::remoteTimestamp).findFirst().orElse(storeNow);
            }
            String holder = currentClaim == null ? null : currentClaim.nodeId();
            for (NodeRecord r : records) {
                long age = storeNow - r.remoteTimestamp();
                boolean gone = r.status() == ManagementNodeState.TERMINATED || r.status() == ManagementNodeState.FAILED
                        || age > settings.heartbeatTimeout().toMillis();
                if (!r.nodeId().equals(nodeId) && !r.nodeId().equals(holder) && gone && age > olderThanMillis) {
                    store.delete(PlaneKeys.node(r.nodeId()));
                    LOG.info("Removed the record of inactive node {} ({}, last seen {} ms before)", r.nodeId(),
                            r.status(), age);
                }
            }
        } catch (StoreException e) {
            storeFailures.failed("Node " + nodeId + " could not prune inactive records", e);
        }
    }

    // ---------------------------------------------------------------- views

    /**
     * The plane's audit trail: who claimed each of the last epochs, when (claimant's clock) and why. It is
     * the epoch claims themselves (immutable, created once, the oldest pruned), so it needs no appends.
     */
    public List<EpochClaim> auditTrail() throws StoreException {
        List<EpochClaim> out = new ArrayList<>();
        for (String key : store.list(PlaneKeys.EPOCHS)) {
            long epoch = PlaneKeys.epochOf(key);
            if (epoch > 0) {
                readClaim(epoch).ifPresent(out::add);
            }
        }
        return out;
    }

    /** The plane as this node sees it now (reads every record: for REST and shell, not for the poll loop). */
    public PlaneView view() throws StoreException {
        Status s = status;
        if (!settings.haEnabled() || s.mode() == HighAvailabilityMode.DISABLED || !joined) {
            NodeRecord self = new NodeRecord(nodeId, settings.nodeUri(), s.state(), s.priority(), version,
                    s.epoch(), 0, clock.currentTimeMillis(), clock.currentTimeMillis());
            return new PlaneView(s.planeId(), nodeId, s.state() == ManagementNodeState.MASTER ? nodeId : null, s.epoch(),
                    Map.of(nodeId, self));
        }
        List<NodeRecord> records = readAllNodes();
        long storeNow = records.stream().filter(r -> r.nodeId().equals(nodeId)).mapToLong(NodeRecord::remoteTimestamp)
                .findFirst().orElse(records.stream().mapToLong(NodeRecord::remoteTimestamp).max().orElse(0));
        Map<String, NodeRecord> nodes = new LinkedHashMap<>();
        String masterId = null;
        records.sort((a, b) -> a.nodeId().compareTo(b.nodeId()));
        for (NodeRecord r : records) {
            NodeRecord shown = r;
            boolean stale = storeNow - r.remoteTimestamp() > settings.heartbeatTimeout().toMillis();
            if (r.nodeId().equals(nodeId)) {
                shown = r.withStatus(s.state());
            } else if (r.status() == ManagementNodeState.MASTER && (r.epoch() < s.epoch() || !r.nodeId().equals(s.masterId()))
                    || stale && r.status() != ManagementNodeState.TERMINATED) {
                shown = r.withStatus(ManagementNodeState.FAILED);
            }
            if (shown.status() == ManagementNodeState.MASTER) {
                masterId = shown.nodeId();
            }
            nodes.put(r.nodeId(), shown);
        }
        return new PlaneView(s.planeId(), nodeId, masterId, s.epoch(), nodes);
    }

    // ---------------------------------------------------------------- helpers

    /** A holder has released the epoch once its record, written at or after that epoch, no longer says MASTER. */
    private boolean isReleased(NodeRecord r) {
        return r.epoch() >= knownEpoch && r.status() != ManagementNodeState.MASTER;
    }

    /** Whether a record was written within the heartbeat timeout, by the store's clock (start-up only). */
    private boolean isFresh(NodeRecord r) {
        long storeNow = readNodeQuietly(nodeId).map(NodeRecord::remoteTimestamp).orElse(r.remoteTimestamp());
        return storeNow - r.remoteTimestamp() <= settings.heartbeatTimeout().toMillis();
    }

    private boolean isElectable() {
        return (mode == HighAvailabilityMode.AUTO || mode == HighAvailabilityMode.MASTER
                || mode == HighAvailabilityMode.STANDBY || mode == HighAvailabilityMode.HOT_STANDBY)
                && state.isElectable();
    }

    private static ManagementNodeState followerState(HighAvailabilityMode m) {
        switch (m) {
            case STANDBY: return ManagementNodeState.STANDBY;
            case HOT_BACKUP: return ManagementNodeState.HOT_BACKUP;
            default: return ManagementNodeState.HOT_STANDBY;
        }
    }

    private void fail(String reason) {
        master = false;
        myEpoch = 0;
        failureReason = reason;
        LOG.error("Node {} is FAILED: {}", nodeId, reason);
        transition(ManagementNodeState.FAILED, reason);
    }

    private void transition(ManagementNodeState to, String reason) {
        ManagementNodeState from = state;
        if (to != ManagementNodeState.FAILED) {
            failureReason = null;
        }
        state = to;
        if (from != to) {
            LOG.info("Node {}: {} -> {} (epoch {}): {}", nodeId, from, to, knownEpoch, reason);
            synchronized (history) {
                history.addLast(new StateTransition(clock.currentTimeMillis(), from, to, knownEpoch, reason));
                while (history.size() > HISTORY_SIZE) {
                    history.removeFirst();
                }
            }
        }
        publish();
    }

    private void publish() {
        String masterId = null;
        if (state == ManagementNodeState.MASTER) {
            masterId = nodeId;
        } else if (currentClaim != null && pendingEpoch == 0 && !currentClaim.nodeId().equals(nodeId)) {
            masterId = currentClaim.nodeId();
        }
        status = new Status(state, mode, priority, knownEpoch, masterId, planeId, failureReason);
    }

    private long nextDelay(long now) {
        long deadline;
        if (master) {
            deadline = leaseExpiresAt;
        } else if (pendingEpoch > 0) {
            deadline = pendingFenceAt;
        } else if (state.isElectable() && currentClaim != null && watchedHeartbeat == Long.MIN_VALUE
                && !currentClaim.nodeId().equals(nodeId)) {
            deadline = now + retryDelay(); // a holder learned of but not yet read: its silence is not being timed
        } else if (state.isElectable() && currentClaim != null) {
            deadline = watchedChangeAt + settings.heartbeatTimeout().toNanos();
        } else {
            deadline = now;
        }
        long poll = settings.pollPeriod().toNanos();
        long delay = poll;
        long left = deadline - now;
        if (left > 0 && left < delay) {
            // wake up at a deadline that falls before the next poll, so takeover is not late by a poll;
            // a lease or pending claim gets one more renewal attempt a quarter poll before it runs out
            delay = (master || pendingEpoch > 0) && left > poll / 4 ? left - poll / 4 : left;
        }
        return Math.max(delay, 1_000_000L);
    }

    /**
     * Nanoseconds until the next tick is due, judged now: for a runner to call after {@link #start()} or an
     * operator request, which may have made this node master (its lease then runs from the claim, and the
     * first renewal must come before it ends, not a whole poll after a slow claim).
     */
    public long nextTickDelay() {
        return joined ? nextDelay(clock.nanoTime()) : retryDelay();
    }

    /**
     * After a tick that could not reach the store, the next comes after a quarter poll: when the store
     * comes back, the plane learns of it (and starts timing a silent master) without waiting a whole poll.
     */
    private long retryDelay() {
        return Math.max(settings.pollPeriod().toNanos() / 4, 1_000_000L);
    }

    private long pruneEveryTicks() {
        long pollMs = Math.max(1, settings.pollPeriod().toMillis());
        return Math.max(1, Math.max(60_000, settings.deadRecordRetention().toMillis() / 10) / pollMs);
    }
}
