package dev.tandem.ha.persistence.jclouds;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Time as a {@link TimedClaim} sees it: the caller's two clocks, its waits, its one deadline-bound write, and
 * the ids of its claims. A store uses {@link ThreadedClaimTiming}; the plane simulation drives the same claim
 * code on simulated time. Not part of Tandem's API (this package is private to its bundle).
 */
public interface ClaimTiming extends AutoCloseable {
    /** The caller's monotonic clock, in nanoseconds. */
    long nanoTime();

    /** The caller's wall clock, in epoch milliseconds: it guards the monotonic clock against a stop (VM suspend). */
    long currentTimeMillis();

    /** Waits until the monotonic clock reads {@code deadlineNanos}. */
    void sleepUntil(long deadlineNanos) throws InterruptedException;

    /**
     * Sends {@code write} (one request) only while the monotonic clock is still before {@code deadlineNanos}, and
     * waits for its answer until then at most.
     *
     * @return the write's answer, or null if the deadline passed before it could be sent
     * @throws TimeoutException   no answer by the deadline: the write may still land
     * @throws ExecutionException the write failed (its cause says how)
     */
    Boolean writeBy(long deadlineNanos, Callable<Boolean> write)
            throws TimeoutException, ExecutionException, InterruptedException;

    /** A new claim id: unique, compared as a string to order competing claims. */
    String newClaimId();

    @Override
    void close();
}
