package dev.tandem.ha.core.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.core.FencedStateStore;
import dev.tandem.ha.core.HaClock;
import dev.tandem.ha.core.HaNode;
import dev.tandem.ha.core.HaSettings;
import dev.tandem.ha.core.InvalidSettingsException;
import dev.tandem.ha.core.NodeStatus;

/**
 * One randomized run of 2–5 nodes (plus restarts) on a simulated store, from a seed: write latency,
 * failed and lost requests, link cuts, store outages, crashes, clean stops, long pauses, restarts,
 * operator mode and priority changes, drifting monotonic clocks and skewed wall clocks. Then every fault
 * heals and the plane must converge.
 *
 * <p>Checked on the simulation's global time: never two nodes acting as master at the same instant
 * (checked after every event: an overlap must begin at some event); each epoch is won by one node only;
 * after the last fault heals, exactly one master within the convergence bound, and it stays.
 */
final class PlaneSimulation {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    private static final long WALL_EPOCH = 1_767_225_600_000L;

    /** Knobs that tests switch to prove the checker catches a broken protocol. */
    static final class Options {
        long seconds = 60;
        /** Puts every store request in the trace (for replaying one seed: {@code -Dtandem.sim.requests=true}). */
        boolean requests = false;
        /** Runs with the timed claim (a store without conditional writes) when set; else with atomic creates. */
        TimedClaims timedClaims;
    }

    /**
     * The timed claim, built by the store module that owns it (ha-persistence-jclouds), on one node's connection.
     * Its bound W is a quarter of the poll period (as docs/persistence.md advises for fast failover), the same on
     * every node, except in every fourth seed (seed % 4 == 2), where alternate nodes claim with P/2 and P/8.
     */
    interface TimedClaims {
        SimulatedStore.TimedCreate on(SimulatedStore connection, HaClock clock, Random ids, long maxWriteLatencyNanos);

        /** How much longer than an atomic create a plane may take to converge with it: the wait and the staleness. */
        long extraConvergenceNanos(long maxWriteLatencyNanos);
    }

    record Result(long seed, String failure, List<String> trace, long events, long convergenceNanos, long targetNanos) {
        boolean ok() {
            return failure == null;
        }
    }

    private final long seed;
    private final Random rng;
    private final Options options;
    private final Simulation sim = new Simulation();
    private final SharedStore store;
    private final List<Node> nodes = new ArrayList<>();
    private final List<String> trace = new ArrayList<>();
    private final Map<Long, String> epochWinners = new HashMap<>();
    private final long poll;
    private final long timeout;
    private final long baseLatency;
    /** Whether nodes of this run may have their own heartbeat timeouts (and change them in place). */
    private final boolean differentTimings;
    /** Timed claims whose bound W differs between nodes (every fourth seed): tandem.store.maxWriteLatency misset. */
    private final boolean differentBounds;
    /** Epochs already claimed (by a node long gone) when the run starts: runs past the 64 claims kept. */
    private final int history;
    private static final List<String> STATE_KEYS = List.of("app1", "app2", "app3");
    private long events;
    private int nextId;
    private long writes;
    private long healAt;
    private final Map<String, FencedStateStore.Version> acked = new HashMap<>();
    private static final int RESEAL_AFTER_TOMBSTONES = 2;
    /** The keys whose newest acknowledged change is a delete. */
    private final java.util.Set<String> ackedDeleted = new java.util.HashSet<>();
    private FencedStateStore reader;
    private long acks;
    /** The store's mutation count and the acknowledgements when the state was last checked (-1: never). */
    private long checkedMutations = -1;
    private long checkedAcks = -1;
    private boolean healed;

    private final class Node {
        final HaNode node;
        final FencedStateStore state;
        final Simulation.Process proc;
        /** The node's managed-state writer: another thread of the same process, as in Karaf. */
        final Simulation.Process writer;
        final SimulatedStore.Link link = new SimulatedStore.Link();
        long pausedUntil = -1;
        /** When the next tick is due, and which scheduling it is (an earlier one replaces a later one). */
        long nextTickAt;
        long tickGeneration;
        boolean stopped;
        boolean stopRequested;
        /** This node's own timings: a plane may run with different ones on different nodes, changed in place. */
        long ownPoll;
        long ownTimeout;
        /** This node's timed-claim bound W (tandem.store.maxWriteLatency): in some seeds it differs between nodes. */
        long ownWriteBound;
        /** The monotonic clock stopped at this time (a VM suspend for the length of the pause), or -1. */
        long frozenAt = -1;
        long lost;
        /** Until when an operator's step-down keeps this node out of elections (sim time, if its clock runs). */
        long holdUntil;
        /** The monotonic time this node had lost to suspensions when the hold began. */
        long lostAtHold;
        ManagementNodeState lastState;

        /** Monotonic time lost to suspensions so far (the node's clock stands still for it). */
        long lostNanos() {
            return frozenAt >= 0 ? lost + Math.min(sim.now(), pausedUntil) - frozenAt : lost;
        }
        long lastEpoch;

        Node(HighAvailabilityMode mode, int priority) {
            String id = String.format("n%02d", nextId++);
            double drift = (rng.nextDouble() * 2 - 1) * 0.004;
            long monoOffset = rng.nextLong() >>> 8;
            // in every third seed the wall clocks agree within P/10 (NTP), so standbys time reads by announced heartbeats
            double skewDraw = rng.nextDouble() * 2 - 1;
            long wallSkew = Math.floorMod(seed, 3) == 0 ? (long) (skewDraw * poll / 10 / MS)
                    : (long) (skewDraw * Duration.ofMinutes(10).toMillis());
            ownPoll = poll;
            ownTimeout = timeout;
            // a misconfigured plane: every second node claims with four times the others' bound, P/2 against P/8 (no
            // draw: the random sequence, and so every seed's other events, stay as they were). P/2 is the product's
            // default; a larger one leaves no lease after a claim at T = 3P.
            ownWriteBound = !differentBounds ? maxWriteLatency() : nextId % 2 == 0 ? poll / 2 : poll / 8;
            if (differentTimings && rng.nextInt(3) == 0) {
                ownTimeout = Math.max(3 * poll, timeout / 2 + (long) (rng.nextDouble() * timeout * 1.5));
            }
            HaClock clock = new HaClock() {
                @Override
                public long nanoTime() {
                    long t = sim.now();
                    long lostNow = lostNanos();
                    if (frozenAt >= 0 && pausedUntil <= t) {
                        lost = lostNow;
                        frozenAt = -1;
                    }
                    return monoOffset + (long) ((t - lostNow) * (1 + drift));
                }

                @Override
                public long currentTimeMillis() {
                    return WALL_EPOCH + sim.now() / MS + wallSkew;
                }
            };
            HaSettings settings = settings(mode, priority, ownPoll, ownTimeout);
            SimulatedStore connection = new SimulatedStore(sim, store, link, new Random(rng.nextLong()),
                    () -> pausedUntil, baseLatency, options.requests ? PlaneSimulation.this::log : null);
            if (options.timedClaims != null) {
                connection.timedCreate = options.timedClaims.on(connection, clock, new Random(rng.nextLong()),
                        ownWriteBound);
                connection.claimWriteBoundNanos = ownWriteBound;
            }
            node = new HaNode(settings, connection, clock, id, "1.0.0");
            // a master seals its own epoch again after every second delete: the simulation exercises those seals
            state = new FencedStateStore(connection, node::actingEpoch, () -> 0, RESEAL_AFTER_TOMBSTONES);
            proc = sim.newProcess(id);
            writer = sim.newProcess(id + "-writer");
            lastState = node.status().state();
        }

        boolean alive() {
            return !proc.dead() && !stopped;
        }

        HaSettings settings(HighAvailabilityMode mode, int priority, long p, long t) {
            Map<String, String> props = new HashMap<>();
            props.put(HaSettings.HA_MODE, mode.name());
            props.put(HaSettings.PRIORITY, Integer.toString(priority));
            props.put(HaSettings.POLL_PERIOD, p / MS + "ms");
            props.put(HaSettings.HEARTBEAT_TIMEOUT, t / MS + "ms");
            try {
                return HaSettings.from(props, java.nio.file.Path.of("/sim"));
            } catch (InvalidSettingsException e) {
                throw new IllegalStateException(e);
            }
        }

        boolean paused() {
            return pausedUntil > sim.now();
        }

        boolean acting() {
            return alive() && !paused() && node.isActingMaster();
        }

        String id() {
            return node.nodeId();
        }
    }

    PlaneSimulation(long seed, Options options) {
        this.seed = seed;
        this.rng = new Random(seed);
        this.options = options;
        this.store = new SharedStore(() -> WALL_EPOCH + sim.now() / MS, sim::now);
        this.poll = rng.nextBoolean() ? 1 * S : 500 * MS;
        this.timeout = poll * (3 + rng.nextInt(8));
        // a healthy store answers within a tenth of a poll (S3 in the same region: 10-100 ms); slower
        // requests are a fault (a latency spike, a slow link) and heal like the others
        this.baseLatency = poll / (10 + rng.nextInt(30));
        this.differentTimings = rng.nextInt(3) == 0;
        this.differentBounds = options.timedClaims != null && Math.floorMod(seed, 4) == 2;
        this.history = rng.nextInt(4) == 0 ? 55 + rng.nextInt(15) : 0;
    }

    static Result run(long seed, Options options) {
        PlaneSimulation s = new PlaneSimulation(seed, options);
        try {
            return s.execute();
        } finally {
            s.sim.close();
        }
    }

    private void log(String what) {
        trace.add(String.format("%9.3fs %s", sim.now() / 1e9, what));
    }

    private Result execute() {
        log("seed " + seed + ": poll " + poll / MS + "ms, timeout " + timeout / MS + "ms, "
                + (options.timedClaims == null ? "" : "timed claims (W " + maxWriteLatency() / MS + "ms"
                + (differentBounds ? ", but P/2 and P/8 on alternate nodes" : "") + "), ") + "latency up to "
                + baseLatency / MS + "ms" + (differentTimings ? ", timeouts differ between nodes" : "")
                + (history > 0 ? ", " + history + " epochs of history" : ""));
        for (int e = 1; e <= history; e++) {
            store.createIfAbsent(String.format("plane/epochs/%019d", e), ("{\"format\":1,\"epoch\":" + e
                    + ",\"nodeId\":\"gone\",\"claimedAt\":0}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        int initial = 2 + rng.nextInt(4);
        for (int i = 0; i < initial; i++) {
            HighAvailabilityMode mode = rng.nextInt(6) == 0 ? HighAvailabilityMode.HOT_BACKUP : HighAvailabilityMode.AUTO;
            long at = (long) (rng.nextDouble() * 2 * S);
            sim.at(at, () -> startNode(mode, rng.nextInt(3)));
        }
        healAt = options.seconds * S * 2 / 3;
        long t = 3 * S;
        while (true) {
            t += (long) (-Math.log(1 - rng.nextDouble()) * 3 * S);
            if (t >= healAt) {
                break;
            }
            long when = t;
            int kind = rng.nextInt(17);
            sim.at(when, () -> fault(kind));
        }
        sim.at(healAt, this::heal);
        String failure = null;
        long convergence = -1;
        try {
            sim.runUntil(healAt, this::check);
            // Requests slowed by a latency fault before the heal are still in flight: the fault has healed
            // once they are done. From then on, exactly one master within T + 2P, and it stays.
            long healedAt = healAt;
            for (Node n : nodes) {
                healedAt = Math.max(healedAt, n.link.slowedUntil);
                if (n.alive()) {
                    // an operator's hold is not a fault; it runs on the node's clock, which a suspension stops
                    healedAt = Math.max(healedAt, n.holdUntil + n.lostNanos() - n.lostAtHold);
                }
            }
            if (healedAt > healAt) {
                log("requests slowed before the heal are done at " + String.format("%.3fs", healedAt / 1e9));
            }
            healAt = healedAt;
            long bound = convergenceBound();
            long deadline = healAt + bound;
            long[] stableSince = {oneMaster() ? healAt : -1};
            sim.runUntil(deadline, () -> {
                check();
                if (!oneMaster()) {
                    stableSince[0] = -1;
                } else if (stableSince[0] < 0) {
                    stableSince[0] = sim.now();
                }
            });
            if (!oneMaster()) {
                throw new AssertionError("no single master " + bound / MS + "ms after the last fault healed: " + describe());
            }
            convergence = stableSince[0] - healAt;
            sim.runUntil(options.seconds * S, () -> {
                check();
                if (!oneMaster()) {
                    throw new AssertionError("the master did not stay: " + describe());
                }
            });
        } catch (AssertionError e) {
            failure = e.getMessage();
            log("FAILED: " + failure);
        } catch (RuntimeException e) {
            failure = "node code threw " + e;
            log("FAILED: " + failure);
        }
        return new Result(seed, failure, trace, events, convergence, convergenceBound());
    }

    /**
     * T + 2P, with the largest timeout and poll of any node that ran (a plane waits out its longest timeout:
     * a dead master's record still says which timeout its lease came from).
     */
    private long convergenceBound() {
        long t = timeout;
        long p = poll;
        for (Node n : nodes) {
            t = Math.max(t, n.ownTimeout);
            p = Math.max(p, n.ownPoll);
        }
        long w = maxWriteLatency();
        for (Node n : nodes) {
            w = Math.max(w, n.ownWriteBound);
        }
        return t + 2 * p + (options.timedClaims == null ? 0 : options.timedClaims.extraConvergenceNanos(w));
    }

    private long maxWriteLatency() {
        return poll / 4;
    }

    private boolean oneMaster() {
        long masters = nodes.stream().filter(Node::alive).filter(n -> n.node.status().state() == ManagementNodeState.MASTER).count();
        long acting = nodes.stream().filter(Node::acting).count();
        return masters == 1 && acting == 1;
    }

    private String describe() {
        StringBuilder b = new StringBuilder();
        for (Node n : nodes) {
            b.append(n.id()).append('=').append(n.node.status().state()).append(n.alive() ? "" : "(gone)")
                    .append(n.paused() ? "(paused)" : "").append(n.node.isActingMaster() ? "(acting)" : "")
                    .append(" e").append(n.node.status().epoch()).append("; ");
        }
        return b.toString();
    }

    private void check() {
        events++;
        long acting = 0;
        for (Node n : nodes) {
            ManagementNodeState s = n.node.status().state();
            long e = n.node.status().epoch();
            if (s != n.lastState || (s == ManagementNodeState.MASTER && e != n.lastEpoch)) {
                log(n.id() + " " + n.lastState + " -> " + s + " (epoch " + e + ")");
                if (s == ManagementNodeState.MASTER) {
                    String previous = epochWinners.putIfAbsent(e, n.id());
                    if (previous != null && !previous.equals(n.id())) {
                        throw new AssertionError("epoch " + e + " won by both " + previous + " and " + n.id());
                    }
                }
                n.lastState = s;
                n.lastEpoch = e;
            }
            if (n.acting()) {
                acting++;
            }
        }
        if (acting > 1) {
            throw new AssertionError("two nodes act as master at once: " + describe());
        }
        checkState();
    }

    /**
     * Managed state, read straight from the store: every acknowledged write is still there (current is
     * not older than it), and the current version was not written after a newer epoch had sealed.
     */
    private void checkState() {
        // The outcome depends only on the store's contents and the acknowledged versions: unchanged, it holds.
        if (store.mutations == checkedMutations && acks == checkedAcks) {
            return;
        }
        checkedMutations = store.mutations;
        checkedAcks = acks;
        FencedStateStore.Seal newest = null;
        List<String> seals = store.list(FencedStateStore.SEALS);
        for (int i = seals.size() - 1; i >= 0 && newest == null; i--) {
            newest = store.read(seals.get(i)).flatMap(o -> FencedStateStore.parseSeal(o.content())).orElse(null);
        }
        if (reader == null) {
            reader = new FencedStateStore(new DirectStore(store), () -> 0);
        }
        for (String key : STATE_KEYS) {
            checkKey(key, newest);
        }
        checkRun();
    }

    /** A run of keys read at one look at the seals (a hot copy's tail) is what reading them one by one returns. */
    private void checkRun() {
        try {
            List<byte[]> run = reader.readUntilAbsent(STATE_KEYS);
            int i = 0;
            for (String key : STATE_KEYS) {
                java.util.Optional<byte[]> one = reader.read(key);
                if (one.isEmpty()) {
                    break;
                }
                if (i >= run.size() || !java.util.Arrays.equals(run.get(i), one.get())) {
                    throw new AssertionError("the run read of " + STATE_KEYS + " differs at " + key + " from its read");
                }
                i++;
            }
            if (i != run.size()) {
                throw new AssertionError("the run read of " + STATE_KEYS + " returned " + run.size() + " values, not " + i);
            }
        } catch (dev.tandem.ha.api.store.StoreException e) {
            throw new AssertionError("the checker's run read failed: " + e.getMessage());
        }
    }

    private void checkKey(String key, FencedStateStore.Seal newest) {
        List<String> versions = store.list(FencedStateStore.VALUES + key + "/");
        java.util.Optional<String> currentPath = FencedStateStore.currentPath(key, versions, newest);
        java.util.Optional<FencedStateStore.Version> current = FencedStateStore.current(key, versions, newest);
        FencedStateStore.Version ack = acked.get(key);
        if (ack != null && (current.isEmpty() ? !ackedDeleted.contains(key) && !deletedAfter(key, ack)
                : current.get().compareTo(ack) < 0)) {
            throw new AssertionError("acknowledged " + (ackedDeleted.contains(key) ? "delete " : "write ") + ack + " of " + key
                    + " lost: current is " + current);
        }
        // what any node's read returns is that current version's value (nothing for a tombstone)
        java.util.Optional<byte[]> read;
        try {
            read = reader.read(key);
        } catch (dev.tandem.ha.api.store.StoreException e) {
            throw new AssertionError("the checker's read of " + key + " failed: " + e.getMessage());
        }
        java.util.Optional<byte[]> expected = currentPath.filter(p -> !FencedStateStore.isTombstone(p)).flatMap(store::read)
                .map(o -> java.util.Arrays.copyOfRange(o.content().clone(), 1, o.content().length));
        if (!java.util.Arrays.equals(read.orElse(null), expected.orElse(null))) {
            throw new AssertionError("a read of " + key + " returned " + read.map(String::new) + ", not the current version "
                    + current + " " + expected.map(String::new));
        }
        if (current.isPresent()) {
            FencedStateStore.Version v = current.get();
            long writtenAt = store.writtenAt.get(currentPath.get());
            for (Map.Entry<String, Long> e : store.writtenAt.entrySet()) {
                if (e.getKey().startsWith(FencedStateStore.SEALS)) {
                    FencedStateStore.Version sealedAt = FencedStateStore.sealPosition(e.getKey()).orElseThrow();
                    if (v.compareTo(sealedAt) <= 0 && e.getValue() < writtenAt) {
                        throw new AssertionError("version " + v + " written at " + writtenAt + "ns, after the seal at "
                                + sealedAt + " was written at " + e.getValue() + "ns, is read as current");
                    }
                }
            }
        }
    }

    /**
     * Whether a delete of {@code key} newer than {@code ack} landed (acknowledged or not): a seal leaves such a key
     * out and its versions are then deleted, so "no current version" is the outcome of that delete, not a loss.
     */
    private boolean deletedAfter(String key, FencedStateStore.Version ack) {
        String prefix = FencedStateStore.VALUES + key + "/";
        return store.writtenAt.keySet().stream().filter(k -> k.startsWith(prefix) && FencedStateStore.isTombstone(k))
                .map(k -> FencedStateStore.current(key, List.of(k), null)).flatMap(java.util.Optional::stream)
                .anyMatch(v -> v.compareTo(ack) > 0);
    }

    private Node startNode(HighAvailabilityMode mode, int priority) {
        Node n = new Node(mode, priority);
        nodes.add(n);
        log("start " + n.id() + " " + mode + " priority " + priority);
        // as the NodeRunner does: the first tick comes when the started node asks for it
        submit(n, () -> {
            n.node.start();
            scheduleTick(n, sim.now() + n.node.nextTickDelay());
        }, false);
        scheduleWrite(n, sim.now() + poll);
        return n;
    }

    private void scheduleTick(Node n, long at) {
        long generation = ++n.tickGeneration;
        n.nextTickAt = at;
        sim.at(at, () -> {
            if (!n.alive() || generation != n.tickGeneration) {
                return;
            }
            if (n.paused()) {
                scheduleTick(n, Math.min(n.pausedUntil, sim.now() + 100 * MS)); // a heal may end the pause early
            } else if (n.proc.busy()) {
                scheduleTick(n, sim.now() + MS);
            } else {
                n.proc.run(() -> {
                    long delay = n.node.tick();
                    scheduleTick(n, sim.now() + delay);
                });
            }
        });
    }

    private void scheduleWrite(Node n, long at) {
        sim.at(at, () -> {
            if (!n.alive() || n.writer.dead()) {
                return;
            }
            long next = sim.now() + (long) (rng.nextDouble() * poll);
            if (!n.paused() && !n.writer.busy() && n.node.actingEpoch() != 0) {
                n.writer.run(() -> writeState(n));
            }
            scheduleWrite(n, next);
        });
    }

    /**
     * A master reads a managed-state key (which seals its epoch first), then writes it, or one time in five
     * deletes it; an acknowledged change is remembered for the no-loss check.
     */
    private void writeState(Node n) {
        String key = STATE_KEYS.get(rng.nextInt(STATE_KEYS.size()));
        String value = n.id() + "#" + (++writes);
        boolean delete = rng.nextInt(5) == 0;
        try {
            n.state.read(key);
            FencedStateStore.Version v = delete ? n.state.deleteVersion(key)
                    : n.state.writeVersion(key, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            FencedStateStore.Version before = acked.get(key);
            if (before == null || v.compareTo(before) > 0) {
                acked.put(key, v);
                if (delete) {
                    ackedDeleted.add(key);
                } else {
                    ackedDeleted.remove(key);
                }
            }
            acks++;
            n.state.tidyUp(); // what the journal does when idle: delete a few versions the newest seal made garbage
        } catch (dev.tandem.ha.api.store.StoreException | IllegalStateException e) {
            // not acknowledged: it may or may not have been applied
        }
    }

    /**
     * Runs an operator or lifecycle action on the node's own thread, as the NodeRunner does. Operator
     * actions still queued when the faults heal are dropped: the liveness check is about faults, and an
     * operator may legitimately ask the last electable node to stand by.
     */
    private void submit(Node n, Runnable action, boolean operator) {
        if (!n.alive() || operator && healed) {
            return;
        }
        if (n.paused() || n.proc.busy()) {
            sim.at(sim.now() + (n.paused() ? Math.min(n.pausedUntil - sim.now(), 100 * MS) : MS),
                    () -> submit(n, action, operator));
            return;
        }
        n.proc.run(operator ? () -> {
            action.run();
            // as NodeRunner.call does: a request that made the node master may need its next tick sooner
            long wanted = sim.now() + n.node.nextTickDelay();
            if (wanted < n.nextTickAt) {
                scheduleTick(n, wanted);
            }
        } : action);
    }

    private Node randomLive() {
        List<Node> live = nodes.stream().filter(Node::alive).toList();
        return live.isEmpty() ? null : live.get(rng.nextInt(live.size()));
    }

    private void fault(int kind) {
        Node n = randomLive();
        long live = nodes.stream().filter(Node::alive).count();
        switch (kind) {
            case 0 -> {
                if (n != null && live > 1) {
                    log("kill -9 " + n.id());
                    n.proc.kill();
                    n.writer.kill();
                }
            }
            case 1 -> {
                if (live < 6) {
                    startNode(HighAvailabilityMode.AUTO, rng.nextInt(3));
                }
            }
            case 2 -> {
                if (n != null && live > 1) {
                    log("clean stop of " + n.id());
                    n.stopRequested = true;
                    submit(n, () -> {
                        n.node.stop();
                        n.stopped = true;
                    }, false);
                }
            }
            case 3 -> {
                if (n != null) {
                    long d = (long) ((0.2 + rng.nextDouble() * 3) * timeout);
                    log("pause " + n.id() + " for " + d / MS + "ms");
                    n.pausedUntil = sim.now() + d;
                }
            }
            case 4 -> {
                if (n != null) {
                    long d = (long) ((0.5 + rng.nextDouble() * 3) * timeout);
                    log("cut the link of " + n.id() + " for " + d / MS + "ms");
                    n.link.cut = true;
                    sim.at(sim.now() + d, () -> {
                        n.link.cut = false;
                        log("link of " + n.id() + " restored");
                    });
                }
            }
            case 5 -> {
                long d = (long) ((0.5 + rng.nextDouble() * 2) * timeout);
                log("store outage for " + d / MS + "ms");
                store.down = true;
                sim.at(sim.now() + d, () -> {
                    store.down = false;
                    log("store back");
                });
            }
            case 6 -> {
                if (n != null) {
                    long d = (long) ((1 + rng.nextDouble() * 2) * timeout);
                    n.link.extraLatencyNanos = (long) ((0.3 + rng.nextDouble() * 2) * poll);
                    log("slow link for " + n.id() + ": +" + n.link.extraLatencyNanos / MS + "ms for " + d / MS + "ms");
                    sim.at(sim.now() + d, () -> n.link.extraLatencyNanos = 0);
                }
            }
            case 7 -> {
                if (n != null) {
                    long d = (long) ((1 + rng.nextDouble() * 2) * timeout);
                    n.link.failBefore = 0.3;
                    n.link.failAfter = 0.3;
                    log("flaky link for " + n.id() + " for " + d / MS + "ms");
                    sim.at(sim.now() + d, () -> {
                        n.link.failBefore = 0;
                        n.link.failAfter = 0;
                    });
                }
            }
            case 8, 9 -> {
                if (n != null) {
                    HighAvailabilityMode[] modes = {HighAvailabilityMode.MASTER, HighAvailabilityMode.HOT_STANDBY,
                        HighAvailabilityMode.AUTO, HighAvailabilityMode.STANDBY};
                    HighAvailabilityMode m = modes[rng.nextInt(modes.length)];
                    log("operator: mode " + m + " on " + n.id());
                    submit(n, () -> {
                        if (n.node.status().state() != ManagementNodeState.TERMINATED) {
                            n.node.changeMode(m);
                        }
                    }, true);
                }
            }
            case 11 -> {
                if (n != null) {
                    long d = (long) ((1 + rng.nextDouble() * 2) * timeout);
                    n.link.linger = 0.3;
                    n.link.resend = 0.5;
                    n.link.lingerUntil = Math.min(sim.now() + 3 * timeout, healAt + timeout);
                    log("lingering requests from " + n.id() + " for " + d / MS + "ms (landing up to "
                            + (n.link.lingerUntil - sim.now()) / MS + "ms later)");
                    sim.at(sim.now() + d, () -> n.link.linger = 0);
                }
            }
            case 13 -> {
                Node master = nodes.stream().filter(Node::acting).findFirst().orElse(null);
                if (master != null) {
                    long hold = rng.nextBoolean() ? 0 : (long) (rng.nextDouble() * 2 * timeout);
                    log("operator: step-down of " + master.id() + " holding " + hold / MS + "ms");
                    submit(master, () -> {
                        if (master.node.status().state() == ManagementNodeState.MASTER) {
                            master.node.stepDown(hold);
                            master.holdUntil = sim.now() + hold;
                            master.lostAtHold = master.lostNanos();
                        }
                    }, true);
                }
            }
            case 14 -> {
                if (n != null) {
                    log("operator: clear the records on " + n.id());
                    submit(n, () -> {
                        try {
                            n.node.clearRecords();
                        } catch (dev.tandem.ha.api.store.StoreException e) {
                            // the operator sees the error; nothing changed or some records went
                        }
                    }, true);
                }
            }
            case 15 -> {
                if (n != null) {
                    long d = (long) ((1.2 + rng.nextDouble() * 2) * timeout);
                    log("suspend " + n.id() + " (its monotonic clock stops) for " + d / MS + "ms");
                    n.node.status(); // nothing runs on a suspended node
                    n.frozenAt = sim.now();
                    n.pausedUntil = sim.now() + d;
                }
            }
            case 16 -> {
                if (n != null && differentTimings) {
                    long t = Math.max(3 * n.ownPoll, timeout / 2 + (long) (rng.nextDouble() * timeout * 1.5));
                    log("operator: heartbeatTimeout " + t / MS + "ms on " + n.id() + " (was " + n.ownTimeout / MS + "ms)");
                    submit(n, () -> {
                        NodeStatus s = n.node.status();
                        n.ownTimeout = t;
                        n.node.updateSettings(n.settings(s.mode(), s.priority(), n.ownPoll, t));
                    }, true);
                }
            }
            case 12 -> {
                long d = (long) ((0.5 + rng.nextDouble() * 2) * timeout);
                store.extraLatencyNanos = (long) ((0.1 + rng.nextDouble() * 0.5) * poll);
                log("store latency spike: up to +" + store.extraLatencyNanos / MS + "ms for " + d / MS + "ms");
                sim.at(sim.now() + d, () -> store.extraLatencyNanos = 0);
            }
            default -> {
                if (n != null) {
                    int p = rng.nextInt(5);
                    log("operator: priority " + p + " on " + n.id());
                    submit(n, () -> n.node.setPriority(p), true);
                }
            }
        }
    }

    /** The last fault heals: links, store, pauses; a plane left without an electable node gets a new one. */
    private void heal() {
        log("heal everything");
        healed = true;
        store.down = false;
        store.extraLatencyNanos = 0;
        for (Node n : nodes) {
            n.link.cut = false;
            n.link.extraLatencyNanos = 0;
            n.link.failBefore = 0;
            n.link.failAfter = 0;
            if (n.pausedUntil > sim.now()) {
                n.pausedUntil = sim.now();
            }
        }
        boolean electable = nodes.stream().filter(Node::alive).filter(n -> !n.stopRequested)
                .anyMatch(n -> n.node.status().state().isElectable()
                && n.node.status().mode() != HighAvailabilityMode.HOT_BACKUP);
        if (!electable) {
            startNode(HighAvailabilityMode.AUTO, 0);
        }
    }
}
