package dev.tandem.ha.core.osgi;

import java.util.Hashtable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.condition.Condition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.core.HaNode;

/**
 * Keeps the OSGi Condition {@code osgi.condition.id=tandem.master} registered while, and only while, this node is
 * the acting master, so that DS components declaring
 * {@code osgi.ds.satisfying.condition.target=(osgi.condition.id=tandem.master)} run on the master only.
 *
 * <p>The condition follows the lease itself, not the node's thread: its own timer withdraws it {@link #margin}
 * before the lease's deadline unless the lease was renewed meanwhile, so a node whose thread is stuck in a hung
 * store request still withdraws it in time. State changes (demotion, step-down, stop) withdraw it at once; the
 * node's thread waits up to {@link #RELEASE_WAIT_MILLIS} for that before it records the release, so normally no
 * dependent component still runs when another node may take over. (Un)registration happens on this class's own
 * thread, never under a lock of the node or of a store request: a dependent that is slow to deactivate delays
 * nothing but the condition's next change.
 */
final class MasterCondition implements AutoCloseable {
    static final String CONDITION_ID = "tandem.master";
    /** How long a release (step-down, stop, demotion) waits for the withdrawal before it is recorded anyway. */
    static final long RELEASE_WAIT_MILLIS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(MasterCondition.class);

    /** The OSGi side: registers the condition service; the returned action unregisters it. */
    interface Registrar {
        Runnable register();
    }

    private final HaNode node;
    private final Registrar registrar;
    private final long margin;
    private final ScheduledExecutorService thread;
    private final Consumer<ManagementNodeState> listener = this::stateChanged;
    /** Touched on {@link #thread} only. */
    private Runnable unregister;
    private ScheduledFuture<?> check;

    /**
     * @param marginNanos how long before the lease's deadline the condition is withdrawn when the lease has not
     *                    been renewed by then
     */
    MasterCondition(HaNode node, Registrar registrar, long marginNanos) {
        this.node = node;
        this.registrar = registrar;
        this.margin = marginNanos;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tandem-ha-condition-" + node.nodeId());
            t.setDaemon(true);
            return t;
        });
    }

    /** Registers {@link Condition#INSTANCE} with {@code osgi.condition.id=tandem.master} in {@code context}. */
    static Registrar inBundle(BundleContext context) {
        return () -> {
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put(Condition.CONDITION_ID, CONDITION_ID);
            ServiceRegistration<Condition> registration = context.registerService(Condition.class, Condition.INSTANCE,
                    properties);
            return () -> {
                try {
                    registration.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the bundle is stopping: the framework unregistered it
                }
            };
        };
    }

    /** The margin for a node's settings: half a poll, at most a quarter of the lease. */
    static long marginFor(dev.tandem.ha.core.HaSettings settings) {
        return Math.max(1_000_000L, Math.min(settings.pollPeriod().toNanos() / 2, settings.lease().toNanos() / 4));
    }

    /** Starts following the node's state (call before the node starts). */
    void start() {
        node.addStateListener(listener);
        submit();
    }

    /** Whether the condition is registered now (for tests and diagnostics). */
    boolean registered() {
        try {
            return thread.submit(() -> unregister != null).get(RELEASE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            return false;
        }
    }

    private void stateChanged(ManagementNodeState state) {
        Future<?> done = submit();
        if (state != ManagementNodeState.MASTER && done != null) {
            // a release: let the withdrawal happen before the node records it, within a bound (a dependent that
            // hangs in its deactivation must not hold the node's thread)
            try {
                done.get(RELEASE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("Tandem HA: the master condition was not withdrawn within {} ms of the node leaving MASTER; "
                        + "going on ({})", RELEASE_WAIT_MILLIS, e.toString());
            }
        }
    }

    private Future<?> submit() {
        try {
            return thread.submit(this::reconcile);
        } catch (RejectedExecutionException closed) {
            return null;
        }
    }

    /** On {@link #thread}: registers or withdraws the condition as the lease says now, and times the next check. */
    private void reconcile() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
        boolean acting = node.isActingMaster();
        long left = node.leaseExpiresAt() - node.clock().nanoTime();
        if (acting && left > margin) {
            register();
            check = thread.schedule(this::reconcile, left - margin, TimeUnit.NANOSECONDS);
        } else {
            withdraw(acting ? "less than " + margin / 1_000_000 + " ms left on a lease not renewed" : "not the acting master");
            if (acting) {
                // the lease may still be renewed in time: look again soon, until it is renewed or has run out
                check = thread.schedule(this::reconcile, Math.max(1_000_000L, Math.min(left, margin / 4)),
                        TimeUnit.NANOSECONDS);
            }
        }
    }

    private void register() {
        if (unregister == null) {
            try {
                unregister = registrar.register();
                LOG.info("Tandem HA: node {} is the acting master: condition osgi.condition.id={} registered",
                        node.nodeId(), CONDITION_ID);
            } catch (RuntimeException e) {
                LOG.error("Tandem HA: cannot register condition osgi.condition.id={}", CONDITION_ID, e);
            }
        }
    }

    private void withdraw(String why) {
        if (unregister != null) {
            Runnable u = unregister;
            unregister = null;
            try {
                u.run();
            } catch (RuntimeException e) {
                LOG.debug("Tandem HA: unregistering the master condition: {}", e.toString());
            }
            LOG.info("Tandem HA: node {}: condition osgi.condition.id={} withdrawn ({})", node.nodeId(), CONDITION_ID,
                    why);
        }
    }

    /** Stops following the node and withdraws the condition (waits for that, bounded). */
    @Override
    public void close() {
        node.removeStateListener(listener);
        try {
            thread.submit(() -> {
                if (check != null) {
                    check.cancel(false);
                }
                withdraw("node stopped");
            }).get(RELEASE_WAIT_MILLIS * 5, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.warn("Tandem HA: the master condition was not withdrawn at stop: {}", e.toString());
        }
        thread.shutdownNow();
    }
}
