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
    private static final String STATE_KEY = "app";
    private long events;
    private int nextId;
    private long writes;
    private long healAt;
    private FencedStateStore.Version acked;
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
        ManagementNodeState lastState;
        long lastEpoch;

        Node(HighAvailabilityMode mode, int priority) {
            String id = String.format("n%02d", nextId++);
            double drift = (rng.nextDouble() * 2 - 1) * 0.004;
            long monoOffset = rng.nextLong() >>> 8;
            long wallSkew = (long) ((rng.nextDouble() * 2 - 1) * Duration.ofMinutes(10).toMillis());
            HaClock clock = new HaClock() {
                @Override
                public long nanoTime() {
                    return monoOffset + (long) (sim.now() * (1 + drift));
                }

                @Override
                public long currentTimeMillis() {
                    return WALL_EPOCH + sim.now() / MS + wallSkew;
                }
            };
            Map<String, String> props = new HashMap<>();
            props.put(HaSettings.HA_MODE, mode.name());
            props.put(HaSettings.PRIORITY, Integer.toString(priority));
            props.put(HaSettings.POLL_PERIOD, poll / MS + "ms");
            props.put(HaSettings.HEARTBEAT_TIMEOUT, timeout / MS + "ms");
            HaSettings settings;
            try {
                settings = HaSettings.from(props, java.nio.file.Path.of("/sim"));
            } catch (InvalidSettingsException e) {
                throw new IllegalStateException(e);
            }
            SimulatedStore connection = new SimulatedStore(sim, store, link, new Random(rng.nextLong()),
                    () -> pausedUntil, baseLatency, options.requests ? PlaneSimulation.this::log : null);
            node = new HaNode(settings, connection, clock, id, "1.0.0");
            state = new FencedStateStore(connection, node::actingEpoch);
            proc = sim.newProcess(id);
            writer = sim.newProcess(id + "-writer");
            lastState = node.status().state();
        }

        boolean alive() {
            return !proc.dead() && !stopped;
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
        log("seed " + seed + ": poll " + poll / MS + "ms, timeout " + timeout / MS + "ms, latency up to "
                + baseLatency / MS + "ms");
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
            int kind = rng.nextInt(13);
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
            }
            if (healedAt > healAt) {
                log("requests slowed before the heal are done at " + String.format("%.3fs", healedAt / 1e9));
            }
            healAt = healedAt;
            long bound = timeout + 2 * poll;
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
        return new Result(seed, failure, trace, events, convergence, timeout + 2 * poll);
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
        List<String> versions = store.list(FencedStateStore.VALUES + STATE_KEY + "/");
        FencedStateStore.Seal newest = null;
        List<String> seals = store.list(FencedStateStore.SEALS);
        for (int i = seals.size() - 1; i >= 0 && newest == null; i--) {
            newest = store.read(seals.get(i)).flatMap(o -> FencedStateStore.parseSeal(o.content())).orElse(null);
        }
        java.util.Optional<FencedStateStore.Version> current = FencedStateStore.current(STATE_KEY, versions, newest);
        if (acked != null && (current.isEmpty() || current.get().compareTo(acked) < 0)) {
            throw new AssertionError("acknowledged write " + acked + " lost: current is " + current);
        }
        if (current.isPresent()) {
            FencedStateStore.Version v = current.get();
            long writtenAt = store.writtenAt.get(FencedStateStore.VALUES + STATE_KEY + "/" + v.name());
            for (Map.Entry<String, Long> e : store.writtenAt.entrySet()) {
                if (e.getKey().startsWith(FencedStateStore.SEALS)) {
                    long sealEpoch = Long.parseLong(e.getKey().substring(FencedStateStore.SEALS.length()));
                    if (sealEpoch > v.epoch() && e.getValue() < writtenAt) {
                        throw new AssertionError("version " + v + " written at " + writtenAt + "ns, after epoch "
                                + sealEpoch + " had sealed at " + e.getValue() + "ns, is read as current");
                    }
                }
            }
        }
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

    /** A master writes the managed-state key; an acknowledged write is remembered for the no-loss check. */
    private void writeState(Node n) {
        String value = n.id() + "#" + (++writes);
        try {
            FencedStateStore.Version v = n.state.writeVersion(STATE_KEY, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (acked == null || v.compareTo(acked) > 0) {
                acked = v;
            }
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
                    n.link.lingerUntil = Math.min(sim.now() + 3 * timeout, healAt);
                    log("lingering requests from " + n.id() + " for " + d / MS + "ms (landing up to "
                            + (n.link.lingerUntil - sim.now()) / MS + "ms later)");
                    sim.at(sim.now() + d, () -> n.link.linger = 0);
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
