package dev.tandem.ha.core;

/**
 * The clocks of one node. Durations (heartbeat timeout, lease) are measured on {@link #nanoTime()} only;
 * {@link #currentTimeMillis()} is for display ({@code localTimestamp}) and never compared across nodes.
 */
public interface HaClock {

    /** A monotonic reading in nanoseconds; only differences are meaningful. */
    long nanoTime();

    /** The node's wall clock, epoch millis. */
    long currentTimeMillis();

    HaClock SYSTEM = new HaClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
            return System.currentTimeMillis();
        }
    };
}
