package dev.tandem.ha.core;

import java.util.function.LongSupplier;

/** A node's clocks driven by a test: monotonic time follows the test's global time; the wall clock may be skewed. */
final class ManualClock implements HaClock {
    private final LongSupplier globalNanos;
    private long monotonicOffset;
    private final long wallSkewMillis;

    ManualClock(LongSupplier globalNanos, long monotonicOffset, long wallSkewMillis) {
        this.globalNanos = globalNanos;
        this.monotonicOffset = monotonicOffset;
        this.wallSkewMillis = wallSkewMillis;
    }

    /**
     * The monotonic clock stops for {@code nanos} (a VM suspend, host sleep, checkpoint/restore): from now on
     * it reads {@code nanos} less than the time that passed; the wall clock goes on.
     */
    void stopMonotonicFor(long nanos) {
        monotonicOffset -= nanos;
    }

    @Override
    public long nanoTime() {
        return globalNanos.getAsLong() + monotonicOffset;
    }

    @Override
    public long currentTimeMillis() {
        return SimTime.EPOCH_MILLIS + globalNanos.getAsLong() / 1_000_000 + wallSkewMillis;
    }
}
