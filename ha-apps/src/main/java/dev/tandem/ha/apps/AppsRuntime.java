package dev.tandem.ha.apps;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.ManagedStateStore;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.PersistMode;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.apps.journal.JournalReader;
import dev.tandem.ha.apps.journal.JournalWriter;
import dev.tandem.ha.apps.model.ManagedModel;

/**
 * Follows this node's HA role and keeps the managed state that role needs:
 * <ul>
 * <li>acting master: the model and the {@link JournalWriter}; a hot copy is brought up to date from the journal's
 * tail (no full load), otherwise the state is loaded as {@code persistMode} says;</li>
 * <li>HOT_STANDBY, HOT_BACKUP: a read-only copy that follows the journal every {@code tailPeriod};</li>
 * <li>any other state: nothing (a STANDBY loads the state when it becomes master).</li>
 * </ul>
 * One thread does all of this, checking the role every {@link #ROLE_CHECK} and at once when the node's state changes
 * ({@link #stepSoon}); it is the only thread that changes a copy, and on the master only the writer's committer
 * changes the model.
 *
 * <p>A hot copy reads the tail so that it is never more than {@code tailPeriod} behind: each read starts nine
 * tenths of {@code tailPeriod} minus the previous read's duration after the previous one started (at least half a
 * period), so a change acknowledged at any moment is in a read that has ended within {@code tailPeriod}, with a
 * tenth of it to spare for a read slower than the previous one or a late wake-up of this thread.
 */
public final class AppsRuntime implements AutoCloseable {
    public static final Duration ROLE_CHECK = Duration.ofMillis(100);
    private static final Logger LOG = LoggerFactory.getLogger(AppsRuntime.class);

    /**
     * @param tailPeriod    how often a hot copy reads the journal's tail: min(pollPeriod, persistPeriod)
     * @param snapshotEvery segments between snapshots
     */
    public record Settings(PersistMode persistMode, Duration tailPeriod, int snapshotEvery) {}

    private final HighAvailabilityService ha;
    private final ManagedStateStore store;
    private final Settings settings;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService thread;
    private final RoleTransitions transitions;
    private final HotCopyLag lag;

    private volatile ManagedModel model;
    private volatile JournalWriter writer;
    private volatile String unavailable = "the managed state is not loaded yet";
    private volatile String takeover;
    private JournalReader reader;
    private long nextTail;

    public AppsRuntime(HighAvailabilityService ha, ManagedStateStore store, Settings settings, LongSupplier nanoTime) {
        this.ha = ha;
        this.store = store;
        this.settings = settings;
        this.nanoTime = nanoTime;
        this.transitions = new RoleTransitions(ha, store, settings);
        this.lag = new HotCopyLag(nanoTime);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tandem-apps-role");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        thread.execute(this::loop);
    }

    /** Checks the role now, on the runtime's thread (the node's state changed): a promotion does not wait. */
    public void stepSoon() {
        try {
            thread.execute(this::safeStep);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // stopping
        }
    }

    /** A step, then the next one after ROLE_CHECK or when the next tail read is due, whichever is first. */
    private void loop() {
        safeStep();
        long delay = ROLE_CHECK.toNanos();
        synchronized (this) {
            if (reader != null) {
                delay = Math.max(0, Math.min(delay, nextTail - nanoTime.getAsLong()));
            }
        }
        try {
            thread.schedule(this::loop, delay, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // stopping
        }
    }

    /** The model reads are served from, or null if this node holds none now. */
    public ManagedModel model() {
        return model;
    }

    /** The writer, only while this node is the acting master and has taken over the state. */
    public JournalWriter writer() {
        return writer;
    }

    /** Why there is no model or writer, for error messages. */
    public String unavailableReason() {
        return unavailable;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * What this node's latest takeover of the managed state did ("loaded the state at segment 3 (2 entities)",
     * "started empty: ...", "refused: ..."), or null if it has not been the acting master.
     */
    public String takeoverOutcome() {
        return takeover;
    }

    /** The hot copy's reader while this node follows the journal (for metrics and tests), else null. */
    public synchronized JournalReader reader() {
        return reader;
    }

    /** The hot copy's lag (empty while this node keeps no copy); read from any thread. */
    public HotCopyLag lag() {
        return lag;
    }

    private void safeStep() {
        try {
            step();
        } catch (RuntimeException e) {
            LOG.warn("Managed state: role step failed: {}", e.toString(), e);
        }
    }

    /** One check of the role; public so that tests can drive it without the thread. */
    public synchronized void step() {
        if (ha.isActingMaster()) {
            if (writer == null) {
                promote();
            }
            return;
        }
        if (writer != null) {
            demote();
        }
        ManagementNodeState state = ha.getState();
        boolean hot = state == ManagementNodeState.HOT_STANDBY || state == ManagementNodeState.HOT_BACKUP
                || state == ManagementNodeState.MASTER; // a master whose lease lapsed keeps its copy
        if (!hot || settings.persistMode() == PersistMode.DISABLED) {
            if (model != null || reader != null) {
                LOG.info("Managed state: this node is {}; dropping its copy", state);
            }
            reader = null;
            model = null;
            lag.clear();
            unavailable = "this node is " + state + ": it keeps no copy of the managed state";
            return;
        }
        long now = nanoTime.getAsLong();
        try {
            if (reader == null) {
                reader = JournalReader.load(store);
                model = reader.model();
                unavailable = null;
                lag.caughtUp(now);
                nextTail = now + readInterval(settings.tailPeriod().toNanos());
                LOG.info("Managed state: hot copy loaded at segment {} ({} entities)", reader.position().seq(),
                        model.entityCount());
            } else if (now - nextTail >= 0) {
                reader.poll(); // returns once it has read up to the journal's end
                model = reader.model();
                lag.caughtUp(now);
                long period = settings.tailPeriod().toNanos();
                long took = nanoTime.getAsLong() - now;
                nextTail = now + Math.max(period / 2, readInterval(period) - took);
            }
        } catch (StoreException e) {
            LOG.debug("Managed state: reading the journal failed: {}", e.getMessage());
            nextTail = now + ROLE_CHECK.toNanos(); // tried again after a role check's time, not in a loop
        }
    }

    /** Nine tenths of the tail period: the rest is a margin for a slower read or a late wake-up. */
    static long readInterval(long periodNanos) {
        return periodNanos - periodNanos / 10;
    }

    private void promote() {
        try {
            RoleTransitions.Takeover t = transitions.takeOver(reader, model);
            reader = null;
            lag.clear();
            model = t.model();
            writer = t.writer();
            unavailable = null;
            takeover = t.outcome();
            t.interruptedTasks().forEach(writer::submit);
        } catch (StoreException e) {
            unavailable = "this node is the master but cannot read the managed state yet: " + e.getMessage();
            LOG.debug("Managed state: {}", unavailable);
        } catch (RoleTransitions.Refused e) {
            if (!e.getMessage().equals(unavailable)) {
                LOG.error("Managed state: {}", e.getMessage());
            }
            unavailable = e.getMessage();
            takeover = "refused: " + e.getMessage();
        }
    }

    private void demote() {
        JournalWriter w = writer;
        writer = null;
        w.close("this node is no longer the acting master");
        reader = settings.persistMode() == PersistMode.DISABLED ? null : JournalReader.resume(store, model, w.position());
        nextTail = nanoTime.getAsLong();
        LOG.info("Managed state: no longer the acting master; following the journal from segment {}", w.position().seq());
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (writer != null) {
                writer.close("Tandem's managed applications are stopping");
                writer = null;
            }
        }
    }
}
