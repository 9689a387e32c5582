package dev.tandem.ha.persistence.jclouds;

import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A store's {@link ClaimTiming}: real sleeps, random ids, and the deadline-bound write on a thread of its own
 * (jclouds cannot give one request a timeout of its own: timeouts are per context).
 */
final class ThreadedClaimTiming implements ClaimTiming {
    private final LongSupplier nanoTime;
    private final Supplier<String> claimIds;
    private final ExecutorService writers;

    ThreadedClaimTiming(LongSupplier nanoTime, String threadName) {
        this(nanoTime, threadName, () -> UUID.randomUUID().toString().replace("-", ""));
    }

    /** @param claimIds the ids of this caller's claims (tests fix them to order competing claims) */
    ThreadedClaimTiming(LongSupplier nanoTime, String threadName, Supplier<String> claimIds) {
        this.nanoTime = nanoTime;
        this.claimIds = claimIds;
        this.writers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public long nanoTime() {
        return nanoTime.getAsLong();
    }

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public void sleepUntil(long deadlineNanos) throws InterruptedException {
        for (long left = deadlineNanos - nanoTime(); left > 0; left = deadlineNanos - nanoTime()) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    @Override
    public Boolean writeBy(long deadlineNanos, Callable<Boolean> write)
            throws TimeoutException, ExecutionException, InterruptedException {
        Future<Boolean> put = writers.submit(() -> nanoTime() - deadlineNanos < 0 ? write.call() : null);
        // on a timeout the write keeps running in the background: it is never sent again
        return put.get(Math.max(0, deadlineNanos - nanoTime()), TimeUnit.NANOSECONDS);
    }

    @Override
    public String newClaimId() {
        return claimIds.get();
    }

    @Override
    public void close() {
        writers.shutdownNow();
    }
}
