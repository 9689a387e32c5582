package dev.tandem.ha.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.ManagementNodeState;

/**
 * Several {@link HaNode}s on one in-memory store, driven on one simulated timeline: each node ticks when
 * it asked to. After every step it checks that no two live nodes act as master at once (an overlap would
 * have to start at some node's step, so checking after each step finds it).
 */
final class TestPlane {
    final SimTime time = new SimTime();
    final InMemoryPlaneStore store = new InMemoryPlaneStore(time::millis);
    final List<SimNode> nodes = new ArrayList<>();
    private final Map<String, String> defaults = new HashMap<>();
    private int nextId;

    final class SimNode {
        final HaNode node;
        final FaultyStore connection;
        final CountingPlaneStore counting;
        final ManualClock clock;
        long nextTickAt;
        boolean crashed;
        boolean stopped;
        long pausedUntil = -1;

        SimNode(HaNode node, FaultyStore connection, CountingPlaneStore counting, ManualClock clock) {
            this.node = node;
            this.clock = clock;
            this.connection = connection;
            this.counting = counting;
        }

        String id() {
            return node.nodeId();
        }

        ManagementNodeState state() {
            return node.status().state();
        }

        boolean alive() {
            return !crashed && !stopped;
        }

        boolean paused() {
            return pausedUntil > time.nanos();
        }

        @Override
        public String toString() {
            return id() + "=" + state() + (crashed ? "(crashed)" : "") + (stopped ? "(stopped)" : "")
                    + (paused() ? "(paused)" : "");
        }
    }

    TestPlane() {
        defaults.put(HaSettings.POLL_PERIOD, "1s");
        defaults.put(HaSettings.HEARTBEAT_TIMEOUT, "30s");
    }

    TestPlane with(String key, String value) {
        defaults.put(key, value);
        return this;
    }

    static HaSettings settings(Map<String, String> props) {
        try {
            return HaSettings.from(props, Path.of("/unused"));
        } catch (InvalidSettingsException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    SimNode add(HighAvailabilityMode mode) {
        return add(mode, 0, 0);
    }

    /** Adds and starts a node; ids are n00, n01, ... so that ties in elections are predictable. */
    SimNode add(HighAvailabilityMode mode, int priority, long wallSkewMillis) {
        return add(mode, priority, wallSkewMillis, Map.of());
    }

    /** As {@link #add(HighAvailabilityMode, int, long)}, with settings of this node only. */
    SimNode add(HighAvailabilityMode mode, int priority, long wallSkewMillis, Map<String, String> own) {
        Map<String, String> props = new HashMap<>(defaults);
        props.putAll(own);
        props.put(HaSettings.HA_MODE, mode.name());
        props.put(HaSettings.PRIORITY, Integer.toString(priority));
        String id = String.format("n%02d", nextId++);
        FaultyStore connection = new FaultyStore(store);
        CountingPlaneStore counting = new CountingPlaneStore(connection);
        ManualClock clock = new ManualClock(time::nanos, 1_000_000_000L * nextId, wallSkewMillis);
        HaNode node = new HaNode(settings(props), counting, clock, id, "1.0.0");
        SimNode sim = new SimNode(node, connection, counting, clock);
        nodes.add(sim);
        node.start();
        sim.nextTickAt = time.nanos() + node.nextTickDelay();
        checkOneMaster();
        return sim;
    }

    /** Advances the timeline by {@code d}, running every tick that falls due. */
    void run(Duration d) {
        runUntil(() -> false, d);
    }

    /** Runs until the condition holds (checked after each step) or {@code max} passes; returns whether it held. */
    boolean runUntil(BooleanSupplier condition, Duration max) {
        long end = time.nanos() + max.toNanos();
        if (condition.getAsBoolean()) {
            return true;
        }
        while (true) {
            SimNode next = null;
            for (SimNode n : nodes) {
                if (!n.alive()) {
                    continue;
                }
                long due = Math.max(n.nextTickAt, n.pausedUntil);
                if (due - end <= 0 && (next == null || due - Math.max(next.nextTickAt, next.pausedUntil) < 0)) {
                    next = n;
                }
            }
            if (next == null) {
                time.advanceTo(end);
                return condition.getAsBoolean();
            }
            time.advanceTo(Math.max(next.nextTickAt, next.pausedUntil));
            long delay = next.node.tick();
            next.nextTickAt = time.nanos() + delay;
            checkOneMaster();
            if (condition.getAsBoolean()) {
                return true;
            }
        }
    }

    /** kill -9: the node does nothing more, not even record that it stopped. */
    void crash(SimNode n) {
        n.crashed = true;
    }

    /** A clean stop (bin/stop). */
    void stop(SimNode n) {
        n.node.stop();
        n.stopped = true;
    }

    /** SIGSTOP for {@code d}: the node neither ticks nor acts; then it resumes with its old beliefs. */
    void pause(SimNode n, Duration d) {
        n.pausedUntil = time.nanos() + d.toNanos();
    }

    List<SimNode> masters() {
        return nodes.stream().filter(SimNode::alive).filter(n -> n.state() == ManagementNodeState.MASTER)
                .collect(Collectors.toList());
    }

    long actingMasters() {
        return nodes.stream().filter(SimNode::alive).filter(n -> !n.paused()).filter(n -> n.node.isActingMaster()).count();
    }

    private void checkOneMaster() {
        if (actingMasters() > 1) {
            throw new AssertionError("two nodes act as master at t=" + time.nanos() + "ns: " + nodes);
        }
    }
}
