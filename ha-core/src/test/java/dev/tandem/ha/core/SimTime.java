package dev.tandem.ha.core;

/** The global time of a test, in nanoseconds since its start; the store's clock reads it too. */
final class SimTime {
    /** Wall-clock millis at simulated time zero: 2026-01-01T00:00:00Z. */
    static final long EPOCH_MILLIS = 1_767_225_600_000L;

    private long nanos;

    long nanos() {
        return nanos;
    }

    long millis() {
        return EPOCH_MILLIS + nanos / 1_000_000;
    }

    void advanceTo(long t) {
        if (t < nanos) {
            throw new IllegalArgumentException("time goes forward only: " + t + " < " + nanos);
        }
        nanos = t;
    }
}
