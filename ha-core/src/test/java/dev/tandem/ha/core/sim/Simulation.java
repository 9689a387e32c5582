package dev.tandem.ha.core.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * A deterministic discrete-event simulator for code that blocks on I/O. Each simulated process runs on
 * its own thread, but only one thread runs at any moment: it holds <em>the turn</em>. Events run in
 * (time, sequence) order, so a seed always gives the same run.
 *
 * <p>There is no scheduler thread: a process that blocks in a simulated call runs the event loop itself,
 * on its own thread, until an event wakes a process. If that is itself, it just returns from the call (no
 * thread switch at all); otherwise it hands the turn to that process and parks until someone hands the turn
 * back to it, which happens only when an event wakes it. The test's thread takes part in the same way while
 * it is in {@link #runUntil}. So a simulated call costs at most one thread switch, and often none: on a
 * 2-core machine the switches, not the protocol code, were what bounded the seeds per minute.
 *
 * <p>A process woken by an event (its call completed, or a task given to it) runs after the event's action
 * and before the event's {@code afterEachEvent} check, until it blocks again or its task ends.
 */
final class Simulation implements AutoCloseable {
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final List<Process> processes = new ArrayList<>();
    /** Processes an event's action woke, in order: each runs until it blocks before the event is checked. */
    private final ArrayDeque<Process> woken = new ArrayDeque<>();
    private final Semaphore mainTurn = new Semaphore(0);
    private long now;
    private long seq;
    /** The process whose own code runs now; null while events run, and on the test's thread. */
    private Process current;
    /** Until when {@link #runUntil} runs events, and what it checks after each. */
    private long end;
    private Runnable afterEachEvent = () -> {};
    /** The last event's check is due once the processes it woke have blocked again. */
    private boolean checkDue;
    /** A failure of a process, an event or a check: ends {@link #runUntil}, which throws it. */
    private Throwable failure;
    private volatile boolean closed;

    private record Event(long time, long seq, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    long now() {
        return now;
    }

    void at(long time, Runnable action) {
        queue.add(new Event(Math.max(time, now), seq++, action));
    }

    /**
     * Runs events until the queue is empty or the next one is after {@code end}; the clock ends at {@code end}.
     * A failure in an event, a process or the check is thrown here.
     */
    void runUntil(long end, Runnable afterEachEvent) {
        this.end = end;
        this.afterEachEvent = afterEachEvent;
        if (!drive(null)) {
            mainTurn.acquireUninterruptibly(); // a process thread ran the loop and handed the turn back
        }
        current = null;
        now = Math.max(now, end);
        Throwable f = failure;
        if (f != null) {
            failure = null;
            if (f instanceof RuntimeException re) {
                throw re;
            }
            if (f instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(f);
        }
    }

    /** The process whose own code is calling, or null from an event or the test's thread. */
    Process currentProcess() {
        return current;
    }

    Process newProcess(String name) {
        Process p = new Process(name);
        processes.add(p);
        return p;
    }

    @Override
    public void close() {
        closed = true;
        for (Process p : processes) {
            p.thread.interrupt();
        }
        for (Process p : processes) {
            try {
                p.thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The event loop, run by whoever holds the turn and has nothing of its own to do ({@code me}: a blocked or
     * idle process, or null for the test's thread). Returns true when {@code me} may go on at once: its own wake
     * event came up, or (for the test's thread) this stretch of {@link #runUntil} is over. Returns false when the
     * test's thread handed the turn to a process and must wait for it to come back.
     */
    private boolean drive(Process me) {
        while (true) {
            if (closed) {
                throw new Exit();
            }
            Process next = failure == null ? nextWoken() : null;
            if (next != null) {
                if (next == me) {
                    current = me;
                    return true;
                }
                current = next;
                next.turn.release();
                return me == null ? false : me.park();
            }
            current = null;
            if (checkDue) {
                checkDue = false;
                guarded(afterEachEvent);
            }
            if (failure != null || queue.isEmpty() || queue.peek().time > end) {
                if (me == null) {
                    return true;
                }
                mainTurn.release();
                return me.park();
            }
            Event e = queue.poll();
            now = e.time;
            guarded(e.action);
            checkDue = true;
        }
    }

    private Process nextWoken() {
        while (!woken.isEmpty()) {
            Process p = woken.poll();
            if (!p.dead) {
                return p;
            }
        }
        return null;
    }

    private void guarded(Runnable r) {
        if (failure != null) {
            return;
        }
        try {
            r.run();
        } catch (Exit e) {
            throw e;
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }

    /** A simulated process: runs one task at a time, and may block in simulated calls. */
    final class Process {
        final String name;
        private final Thread thread;
        private final Semaphore turn = new Semaphore(0);
        private Runnable task;
        private boolean dead;

        Process(String name) {
            this.name = name;
            this.thread = new Thread(this::loop, "sim-" + name);
            this.thread.setDaemon(true);
            this.thread.start();
        }

        private void loop() {
            try {
                park(); // until the first task
                while (true) {
                    try {
                        task.run();
                    } catch (Killed k) {
                        // killed while blocked: it just stops
                    } catch (RuntimeException | Error e) {
                        if (e instanceof Exit exit) {
                            throw exit;
                        }
                        if (failure == null) {
                            failure = e;
                        }
                    }
                    task = null;
                    // idle: run the world until an event gives this process its next task
                    drive(this);
                }
            } catch (Exit e) {
                // simulation closed
            }
        }

        /** Waits for the turn; true once it has it (an event woke this process). */
        private boolean park() {
            try {
                turn.acquire();
            } catch (InterruptedException e) {
                throw new Exit();
            }
            if (closed) {
                throw new Exit();
            }
            return true;
        }

        /** Gives this process a task (from an event); it runs once the event's action is done, until it blocks. */
        void run(Runnable t) {
            if (dead) {
                return;
            }
            if (task != null) {
                throw new IllegalStateException(name + " is busy");
            }
            task = t;
            woken.add(this);
        }

        boolean busy() {
            return task != null;
        }

        /** From this process's thread: block for {@code duration}, letting the rest of the world run. */
        void sleep(long duration, Supplier<Long> resumeNotBefore) {
            if (closed) {
                throw new Exit();
            }
            if (current != this) {
                throw new IllegalStateException(name + " sleeps from outside its own code");
            }
            at(now + duration, () -> resume(resumeNotBefore));
            drive(this);
            if (dead) {
                throw new Killed();
            }
        }

        private void resume(Supplier<Long> resumeNotBefore) {
            long notBefore = resumeNotBefore.get();
            if (notBefore > now) {
                // paused: look again soon (a pause can be cut short)
                at(Math.min(notBefore, now + 100_000_000L), () -> resume(resumeNotBefore));
                return;
            }
            if (!dead) {
                woken.add(this);
            }
        }

        /** kill -9: the process never runs again (a blocked call is abandoned; its thread parks until close). */
        void kill() {
            dead = true;
        }

        boolean dead() {
            return dead;
        }
    }

    private static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Killed() {
            super(null, null, false, false);
        }
    }

    /** Unwinds a process's thread when the simulation is closed (an Error, so that no catch in node code stops it). */
    private static final class Exit extends Error {
        private static final long serialVersionUID = 1L;

        Exit() {
            super(null, null, false, false);
        }
    }
}
