package dev.tandem.ha.core;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.tandem.ha.api.ManagementNodeState;

/**
 * What a node tells the rest of the process: its status, the history of its state changes, and listeners
 * told of every change of the state it reports. A MASTER whose lease has run out reports the standby state
 * it is about to enter, never MASTER: {@link #leaseLapsed()} makes that visible at the lease's deadline, from
 * any thread, even while the node's own thread is stuck in a store request. Listeners are called outside
 * any lock, on the thread that noticed the change.
 */
final class StatusBoard {
    private static final int HISTORY_SIZE = 50;

    private final HaClock clock;
    private final BooleanSupplier acting;
    private final Deque<StateTransition> history = new ArrayDeque<>();
    private final List<Consumer<ManagementNodeState>> listeners = new CopyOnWriteArrayList<>();
    private volatile NodeStatus status;
    private ManagementNodeState told;

    /** @param acting whether the node's lease is valid now (read from any thread) */
    StatusBoard(HaClock clock, BooleanSupplier acting, NodeStatus initial) {
        this.clock = clock;
        this.acting = acting;
        this.status = initial;
    }

    NodeStatus status() {
        return status;
    }

    /** The state to report now: as published, except for a MASTER whose lease has run out. */
    ManagementNodeState effectiveState() {
        NodeStatus s = status;
        return s.state() == ManagementNodeState.MASTER && !acting.getAsBoolean() ? StartupTable.followerState(s.mode())
                : s.state();
    }

    void publish(NodeStatus next) {
        status = next;
        tellListeners();
    }

    /** Called at the lease's deadline by a timer, not by the node's thread: reports the demotion at once. */
    void leaseLapsed() {
        NodeStatus s = status;
        if (s.state() == ManagementNodeState.MASTER && !acting.getAsBoolean()) {
            record(ManagementNodeState.MASTER, StartupTable.followerState(s.mode()), s.epoch(),
                    "lease ran out (reported by the lease timer)");
        }
        tellListeners();
    }

    void record(ManagementNodeState from, ManagementNodeState to, long epoch, String reason) {
        synchronized (history) {
            StateTransition last = history.peekLast();
            if (last != null && last.to() == to && last.from() == from && last.epoch() == epoch) {
                return; // the lease timer reported it already
            }
            history.addLast(new StateTransition(clock.currentTimeMillis(), from, to, epoch, reason));
            while (history.size() > HISTORY_SIZE) {
                history.removeFirst();
            }
        }
    }

    List<StateTransition> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    void addListener(Consumer<ManagementNodeState> listener) {
        listeners.add(listener);
    }

    void removeListener(Consumer<ManagementNodeState> listener) {
        listeners.remove(listener);
    }

    private void tellListeners() {
        ManagementNodeState now = effectiveState();
        synchronized (this) {
            if (now == told) {
                return;
            }
            told = now;
        }
        for (Consumer<ManagementNodeState> l : listeners) {
            try {
                l.accept(now);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(StatusBoard.class).warn("A state listener failed", e);
            }
        }
    }
}
