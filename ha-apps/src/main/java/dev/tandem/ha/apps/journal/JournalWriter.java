package dev.tandem.ha.apps.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.ManagedStateStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.apps.journal.JournalCodec.Position;
import dev.tandem.ha.apps.model.Change;
import dev.tandem.ha.apps.model.ManagedModel;

/**
 * The master's write path, with group commit: one committer thread takes every change submitted meanwhile and
 * writes them as ONE journal segment through the fenced {@link ManagedStateStore}; only once the store has
 * acknowledged the segment are the changes applied to the model and their futures completed. If the store
 * refuses, every change of the batch fails, nothing is applied, and the next batch is written under the same
 * sequence number (so a segment that was written although its write failed is replaced, never followed).
 *
 * <p>Every {@code snapshotEvery} segments it writes a snapshot and its head; from then on it deletes the segments
 * that the previous snapshot covered (a reader that is at most one snapshot interval behind can still follow the
 * journal). Deletes, and the fenced store's own cleanup ({@link ManagedStateStore#tidyUp}), are done one small step
 * at a time when no write is waiting, so that a write does not wait for them; when writes never pause and the
 * deletes fall half a snapshot interval behind, one step follows each batch.
 * With a null store (persistMode DISABLED) changes are applied at once and nothing is written.
 */
public final class JournalWriter implements AutoCloseable {
    public static final int MAX_BATCH = 512;
    private static final long SLOW_NANOS = 20_000_000;
    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);

    private record Pending(List<Change> changes, CompletableFuture<List<Boolean>> done) {}

    private final ManagedStateStore store;
    private final ManagedModel model;
    private final LongSupplier epoch;
    private final int snapshotEvery;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final AtomicLong segmentsWritten = new AtomicLong();
    private final AtomicLong changesWritten = new AtomicLong();
    private volatile boolean closed;
    private volatile String closedReason = "the journal writer is closed";
    private Position position;
    private long lastSnapshotSeq;
    private long compactedUpTo;
    /** The last segment that may be deleted: the one the previous snapshot covered. */
    private long deletableUpTo;

    /**
     * @param store         the fenced store, or null when persistence is disabled
     * @param start         the position the model is at (the last segment it applied)
     * @param snapshotSeq   the segment the newest snapshot in the store covers (0 if none)
     */
    public JournalWriter(ManagedStateStore store, ManagedModel model, Position start, long snapshotSeq,
            LongSupplier epoch, int snapshotEvery) {
        if (snapshotEvery < 1) {
            throw new IllegalArgumentException("snapshotEvery must be at least 1, not " + snapshotEvery);
        }
        this.store = store;
        this.model = model;
        this.position = start;
        this.epoch = epoch;
        this.snapshotEvery = snapshotEvery;
        this.lastSnapshotSeq = snapshotSeq;
        this.compactedUpTo = Math.max(0, snapshotSeq - snapshotEvery);
        this.deletableUpTo = compactedUpTo;
        this.thread = new Thread(this::run, "tandem-apps-journal");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Submits a change. The future completes with whether it changed the model (false if its target was gone)
     * once it is durable and applied, or exceptionally ({@link StoreException}: the store did not take it, nothing
     * was applied; {@link IllegalStateException}: the writer closed, this node no longer writes).
     */
    public CompletableFuture<Boolean> submit(Change change) {
        return submitAll(List.of(change)).thenApply(r -> r.get(0));
    }

    /** Submits changes that are written in one segment, all or none: {@link #submit} for each, atomically. */
    public CompletableFuture<List<Boolean>> submitAll(List<Change> changes) {
        CompletableFuture<List<Boolean>> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IllegalStateException(closedReason));
            return f;
        }
        queue.add(new Pending(List.copyOf(changes), f));
        if (closed) {
            failPending();
        }
        return f;
    }

    public Position position() {
        synchronized (this) {
            return position;
        }
    }

    public long segmentsWritten() {
        return segmentsWritten.get();
    }

    public long changesWritten() {
        return changesWritten.get();
    }

    /** Stops writing: changes not yet written fail with an {@link IllegalStateException} giving the reason. */
    public void close(String reason) {
        closedReason = reason;
        closed = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failPending();
    }

    @Override
    public void close() {
        close("the journal writer is closed");
    }

    private void failPending() {
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done().completeExceptionally(new IllegalStateException(closedReason));
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (!closed) {
            Pending first = queue.poll();
            if (first == null) {
                if (tidyOnce()) {
                    continue; // one small step of housekeeping, then look for writes again
                }
                try {
                    first = queue.take();
                } catch (InterruptedException e) {
                    break;
                }
            }
            batch.add(first);
            queue.drainTo(batch, MAX_BATCH - 1); // group commit: everything submitted meanwhile, in one segment
            long t0 = System.nanoTime();
            commit(batch);
            slow("a batch of {} changes", batch.size(), t0);
            batch.clear();
            if (store != null && deletableUpTo - compactedUpTo > snapshotEvery / 2) {
                tidyOnce(); // behind on deletes while writes never pause: one step per batch as well
            }
        }
    }

    /**
     * Logs (DEBUG) a step of the committer that took longer than {@link #SLOW_NANOS}, with its one argument: where a
     * write's time went when writes are slow.
     */
    private static void slow(String what, Object arg, long startNanos) {
        long took = System.nanoTime() - startNanos;
        if (took > SLOW_NANOS && LOG.isDebugEnabled()) {
            LOG.debug("Managed state: " + what + " took {} ms", arg, took / 1_000_000);
        }
    }

    /**
     * One small step of housekeeping, done when no write is waiting (or when the deletes fall behind): delete one
     * segment that the previous snapshot covered, and let the store delete a few versions that can never be read
     * again. Whether it did anything.
     */
    private boolean tidyOnce() {
        long t0 = System.nanoTime();
        try {
            return tidyStep();
        } finally {
            slow("a housekeeping step{}", "", t0);
        }
    }

    private boolean tidyStep() {
        if (store == null || closed) {
            return false;
        }
        boolean did = false;
        if (compactedUpTo < deletableUpTo) {
            try {
                store.delete(JournalKeys.segment(compactedUpTo + 1));
                compactedUpTo++;
                did = true;
            } catch (StoreException | RuntimeException e) {
                LOG.debug("Managed state: segment {} not deleted yet ({}); tried again later", compactedUpTo + 1,
                        e.toString());
                return false;
            }
        }
        try {
            did |= store.tidyUp();
        } catch (StoreException | RuntimeException e) {
            LOG.debug("Managed state: store housekeeping failed ({}); tried again later", e.toString());
        }
        return did;
    }

    private void commit(List<Pending> batch) {
        if (store != null) {
            List<Change> changes = batch.stream().flatMap(p -> p.changes().stream()).toList();
            long seq = position.seq() + 1;
            byte[] bytes = JournalCodec.segment(seq, epoch.getAsLong(), position.hash(), changes);
            try {
                store.write(JournalKeys.segment(seq), bytes);
            } catch (StoreException | RuntimeException e) {
                LOG.debug("Managed state: journal segment {} ({} changes) not written: {}", seq, batch.size(), e.toString());
                batch.forEach(p -> p.done().completeExceptionally(e));
                return;
            }
            synchronized (this) {
                position = new Position(seq, JournalCodec.digest(bytes));
            }
            segmentsWritten.incrementAndGet();
            changesWritten.addAndGet(changes.size());
        }
        for (Pending p : batch) {
            List<Boolean> changed = new ArrayList<>(p.changes().size());
            try {
                p.changes().forEach(c -> changed.add(model.apply(c)));
            } catch (RuntimeException e) {
                p.done().completeExceptionally(e);
                continue;
            }
            p.done().complete(changed);
        }
        if (store != null && position.seq() - lastSnapshotSeq >= snapshotEvery) {
            long t0 = System.nanoTime();
            snapshot();
            slow("the snapshot at segment {}", position.seq(), t0);
        }
    }

    private void snapshot() {
        Position at = position;
        try {
            store.write(JournalKeys.SNAPSHOT, JournalCodec.snapshot(new JournalCodec.Snapshot(at, model.state())));
            store.write(JournalKeys.HEAD, JournalCodec.head(at));
            deletableUpTo = lastSnapshotSeq;
            lastSnapshotSeq = at.seq();
            LOG.debug("Managed state: snapshot at segment {}; segments up to {} are deleted from now on", at.seq(),
                    deletableUpTo);
        } catch (StoreException | RuntimeException e) {
            LOG.warn("Managed state: snapshot at segment {} failed (the journal stays complete; retried after the "
                    + "next segment): {}", at.seq(), e.toString());
        }
    }

}
