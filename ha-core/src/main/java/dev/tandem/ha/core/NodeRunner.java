package dev.tandem.ha.core;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.Durations;

/**
 * Runs one {@link HaNode} on its own daemon thread: start, ticks at the delays the node asks for,
 * operator requests, and a clean stop. Everything the node does happens on that one thread.
 */
public final class NodeRunner {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRunner.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HaNode node;
    private final ScheduledExecutorService executor;
    /** Reports a lapsed lease at its deadline, even while the node's thread waits on the store. */
    private final ScheduledExecutorService leaseTimer;
    private ScheduledFuture<?> nextTick;
    private ScheduledFuture<?> leaseCheck;
    /** Set on the node's thread once the node has stopped: a request queued behind the stop is refused, not run. */
    private boolean stopped;

    public NodeRunner(HaNode node) {
        this.node = node;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tandem-ha-" + node.nodeId());
            t.setDaemon(true);
            return t;
        });
        this.leaseTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tandem-ha-lease-" + node.nodeId());
            t.setDaemon(true);
            return t;
        });
    }

    public HaNode node() {
        return node;
    }

    public void start() {
        executor.execute(() -> {
            try {
                node.start();
            } catch (RuntimeException e) {
                LOG.error("Node {} failed to start; retrying at the next poll", node.nodeId(), e);
            }
            schedule(node.nextTickDelay());
        });
    }

    /**
     * Runs a request on the node's thread and waits for its result. The next tick is brought forward if the
     * node now wants it sooner (a request that made it master starts a lease that must be renewed in time).
     */
    public <T> T call(Callable<T> request) {
        return await(() -> {
            if (stopped) {
                throw new IllegalStateException("node " + node.nodeId() + " is stopping");
            }
            try {
                return request.call();
            } finally {
                long wanted = node.nextTickDelay();
                if (nextTick == null || nextTick.getDelay(TimeUnit.NANOSECONDS) > wanted) {
                    schedule(wanted);
                } else {
                    armLeaseTimer();
                }
            }
        });
    }

    private <T> T await(Callable<T> request) {
        try {
            return executor.submit(request).get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("node " + node.nodeId() + " did not answer within "
                    + Durations.format(REQUEST_TIMEOUT) + " (store too slow?)", e);
        } catch (java.util.concurrent.RejectedExecutionException | java.util.concurrent.CancellationException e) {
            throw new IllegalStateException("node " + node.nodeId() + " is stopping", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private volatile long lastPollSoon = Long.MIN_VALUE;

    /**
     * Brings the next tick forward to now (another node released mastership), at most once per tenth of a poll;
     * returns at once.
     */
    public void pollSoon() {
        long now = System.nanoTime();
        long minGap = node.settings().pollPeriod().toNanos() / 10;
        if (lastPollSoon != Long.MIN_VALUE && now - lastPollSoon < minGap) {
            return;
        }
        lastPollSoon = now;
        try {
            executor.execute(() -> {
                if (nextTick == null || nextTick.getDelay(TimeUnit.NANOSECONDS) > 0) {
                    schedule(0);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // the node is stopping: nothing to poll
        }
    }

    /** Applies new settings on the node's thread and re-times the next tick. */
    public void update(HaSettings settings) {
        call(() -> {
            node.updateSettings(settings);
            schedule(0);
            return null;
        });
    }

    /** Stops the node cleanly (records TERMINATED), then the thread; waits for both. */
    public void stop() {
        try {
            await(() -> {
                if (nextTick != null) {
                    nextTick.cancel(false);
                }
                node.stop();
                stopped = true;
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("Node {} did not stop cleanly: {}", node.nodeId(), e.getMessage());
        } finally {
            leaseTimer.shutdownNow();
            for (Runnable waiting : executor.shutdownNow()) {
                if (waiting instanceof java.util.concurrent.Future<?> f) {
                    f.cancel(false); // its caller gets "stopping" now instead of waiting for the timeout
                }
            }
            try {
                if (!executor.awaitTermination(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("Thread of node {} did not end within {}", node.nodeId(), Durations.format(REQUEST_TIMEOUT));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void schedule(long delayNanos) {
        if (nextTick != null) {
            nextTick.cancel(false);
        }
        if (!executor.isShutdown()) {
            nextTick = executor.schedule(this::tick, delayNanos, TimeUnit.NANOSECONDS);
        }
        armLeaseTimer();
    }

    /** (Re)arms the lease timer at the current lease's deadline; called on the node's thread after each step. */
    private synchronized void armLeaseTimer() {
        if (leaseCheck != null) {
            leaseCheck.cancel(false);
            leaseCheck = null;
        }
        if (node.isActingMaster() && !leaseTimer.isShutdown()) {
            long left = node.leaseExpiresAt() - node.clock().nanoTime();
            leaseCheck = leaseTimer.schedule(node::leaseDeadlinePassed, Math.max(0, left) + 1_000_000, TimeUnit.NANOSECONDS);
        }
    }

    private void tick() {
        long delay;
        try {
            delay = node.tick();
        } catch (RuntimeException e) {
            LOG.error("Poll of node {} failed unexpectedly; next poll as usual", node.nodeId(), e);
            delay = node.settings().pollPeriod().toNanos();
        }
        schedule(delay);
    }
}
