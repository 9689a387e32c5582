package dev.tandem.ha.core.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * A deterministic discrete-event simulator for code that blocks on I/O. Each simulated process runs on
 * its own thread, but only one thread (the scheduler's or one process's) runs at any moment: a process
 * that makes a simulated call hands control back to the scheduler and is resumed by an event at the
 * call's completion time. Events run in (time, sequence) order, so a seed always gives the same run.
 */
final class Simulation implements AutoCloseable {
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final List<Process> processes = new ArrayList<>();
    private long now;
    private long seq;
    private final Semaphore schedulerTurn = new Semaphore(0);
    private final ThreadLocal<Process> current = new ThreadLocal<>();

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

    /** Runs events until the queue is empty or the next one is after {@code end}; the clock ends at {@code end}. */
    void runUntil(long end, Runnable afterEachEvent) {
        while (!queue.isEmpty() && queue.peek().time <= end) {
            Event e = queue.poll();
            now = e.time;
            e.action.run();
            afterEachEvent.run();
        }
        now = Math.max(now, end);
    }

    /** The process whose thread is calling, or null on the scheduler's thread. */
    Process currentProcess() {
        return current.get();
    }

    Process newProcess(String name) {
        Process p = new Process(name);
        processes.add(p);
        return p;
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.thread.interrupt();
        }
        for (Process p : processes) {
            try {
                p.thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A simulated process: runs one task at a time, and may block in simulated calls. */
    final class Process {
        final String name;
        private final Thread thread;
        private final Semaphore turn = new Semaphore(0);
        private Runnable task;
        private boolean dead;
        private RuntimeException failure;

        Process(String name) {
            this.name = name;
            this.thread = new Thread(this::loop, "sim-" + name);
            this.thread.setDaemon(true);
            this.thread.start();
        }

        private void loop() {
            current.set(this);
            try {
                while (true) {
                    turn.acquire();
                    try {
                        task.run();
                    } catch (Killed k) {
                        // the process was killed while blocked: it just stops
                    } catch (RuntimeException | Error e) {
                        failure = e instanceof RuntimeException re ? re : new RuntimeException(e);
                    }
                    task = null;
                    schedulerTurn.release();
                }
            } catch (InterruptedException e) {
                // simulation closed
            }
        }

        /** Runs a task on this process now (from the scheduler), until it finishes or blocks. */
        void run(Runnable t) {
            if (dead) {
                return;
            }
            if (task != null) {
                throw new IllegalStateException(name + " is busy");
            }
            task = t;
            handOver();
        }

        boolean busy() {
            return task != null;
        }

        /** From this process's thread: block for {@code duration}, letting the rest of the world run. */
        void sleep(long duration, Supplier<Long> resumeNotBefore) {
            long wake = now + duration;
            schedule(wake, resumeNotBefore);
            yieldToScheduler();
        }

        private void schedule(long wake, Supplier<Long> resumeNotBefore) {
            at(wake, () -> resume(resumeNotBefore));
        }

        private void resume(Supplier<Long> resumeNotBefore) {
            long notBefore = resumeNotBefore.get();
            if (notBefore > now) {
                // paused: look again soon (a pause can be cut short)
                at(Math.min(notBefore, now + 100_000_000L), () -> resume(resumeNotBefore));
                return;
            }
            if (!dead) {
                handOver();
            }
        }

        private void handOver() {
            turn.release();
            schedulerTurn.acquireUninterruptibly();
            if (failure != null) {
                RuntimeException f = failure;
                failure = null;
                throw f;
            }
        }

        private void yieldToScheduler() {
            schedulerTurn.release();
            turn.acquireUninterruptibly();
            if (dead) {
                throw new Killed();
            }
        }

        /** kill -9: the process never runs again (a blocked call is abandoned). */
        void kill() {
            dead = true;
            if (task != null) {
                // let the thread unwind its task at once, so that the next run does not find it busy
                turn.release();
                schedulerTurn.acquireUninterruptibly();
            }
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
}
