package dev.tandem.ha.apps;

import java.util.OptionalLong;
import java.util.function.LongSupplier;

import dev.tandem.ha.api.apps.ManagedStateStatus;

/**
 * The hot copy's lag: the time since the copy last confirmed it had applied everything the journal held, that is
 * since the start of its last tail read that reached the journal's end (a read that ends on an absent segment, or a
 * full load). Only this node's monotonic clock is used: the lag never compares two machines' clocks. Its owner
 * reports each such read with {@link #caughtUp} and drops the copy with {@link #clear}; other threads read
 * {@link #hotCopyLagMillis} at any time.
 */
public final class HotCopyLag implements ManagedStateStatus {
    private final LongSupplier nanoTime;
    /** The start (nanoTime) of the last read that reached the journal's end; null while there is no copy. */
    private volatile Long caughtUpAt;

    public HotCopyLag(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** A tail read (or a load) that began at {@code readStartNanos} has reached the journal's end. */
    void caughtUp(long readStartNanos) {
        caughtUpAt = readStartNanos;
    }

    /** This node keeps no copy (any more). */
    void clear() {
        caughtUpAt = null;
    }

    @Override
    public OptionalLong hotCopyLagMillis() {
        Long since = caughtUpAt;
        if (since == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(0, (nanoTime.getAsLong() - since) / 1_000_000));
    }
}
