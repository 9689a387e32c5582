package dev.tandem.ha.persistence.jclouds;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and for how long one store operation is retried after a transient failure (5xx, throttling,
 * a timeout or a refused connection): at most {@code maxTries} attempts, all started within
 * {@code budget} of the first, with exponential backoff from {@code baseDelay} and full jitter. The budget
 * is kept to a fraction of the poll period so that a renewal (heartbeat plus epoch check) still fits in it.
 */
public record RetryPolicy(int maxTries, Duration budget, Duration baseDelay) {

    public RetryPolicy {
        if (maxTries < 1) {
            throw new IllegalArgumentException("maxTries must be at least 1: " + maxTries);
        }
        if (budget.isNegative() || baseDelay.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }

    /** Three tries within half a poll period. */
    public static RetryPolicy forPollPeriod(Duration pollPeriod) {
        Duration budget = pollPeriod.dividedBy(2);
        Duration base = budget.dividedBy(8);
        return new RetryPolicy(3, budget, base.compareTo(Duration.ofMillis(5)) < 0 ? Duration.ofMillis(5) : base);
    }

    /** A single try: for tests that count requests exactly. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /** The pause before attempt {@code attempt + 1} (attempt counts from 1): uniform in [0, base * 2^(attempt-1)]. */
    long backoffNanos(int attempt) {
        long cap = baseDelay.toNanos() << Math.min(attempt - 1, 20);
        return cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1);
    }
}
