package dev.tandem.ha.core;

/**
 * A standby's watch of the holder of the newest epoch, on the standby's own monotonic clock. Silence is
 * measured from the END of the read that saw the last change to the START of a read that sees none: the
 * holder's unseen renewals must then have begun before its lease ran out, however slow either read was.
 * The timeout is the one the holder advertised with the heartbeat last seen (its lease came from it), or
 * this node's own when the holder's record does not say.
 */
final class HolderWatch {
    enum Verdict { CHANGED, SILENT, WAITING }

    private static final long UNSEEN = Long.MIN_VALUE;
    private long heartbeat = UNSEEN;
    private long changedAt;
    private long timeoutNanos;
    private long holderLeaseNanos;

    /** Forgets what was seen: silence is timed from {@code now}, with {@code timeoutNanos}. */
    void reset(long now, long timeoutNanos) {
        heartbeat = UNSEEN;
        changedAt = now;
        this.timeoutNanos = timeoutNanos;
        this.holderLeaseNanos = 0;
    }

    /**
     * One read of the holder's record.
     *
     * @param seen         the heartbeat read, or -1 if there was no record
     * @param holderTimeoutNanos the timeout the record advertises, or 0 if it does not say
     * @param ownTimeoutNanos    this node's timeout
     */
    Verdict observe(long seen, long holderTimeoutNanos, long ownTimeoutNanos, long readStart, long readEnd) {
        return observe(seen, holderTimeoutNanos, 0, ownTimeoutNanos, readStart, readEnd);
    }

    /** As {@link #observe(long, long, long, long, long)}, remembering the lease the record advertises (0: unknown). */
    Verdict observe(long seen, long holderTimeoutNanos, long holderLeaseNanos, long ownTimeoutNanos, long readStart,
            long readEnd) {
        if (seen != heartbeat) {
            heartbeat = seen;
            changedAt = readEnd;
            timeoutNanos = holderTimeoutNanos > 0 ? holderTimeoutNanos : ownTimeoutNanos;
            this.holderLeaseNanos = holderLeaseNanos;
            return Verdict.CHANGED;
        }
        return readStart - changedAt >= timeoutNanos ? Verdict.SILENT : Verdict.WAITING;
    }

    /** Whether a read that ended at {@code readEnd} saw the timeout run out while it was in flight. */
    boolean ranOutDuring(long readEnd) {
        return readEnd - changedAt >= timeoutNanos;
    }

    boolean seenAnything() {
        return heartbeat != UNSEEN;
    }

    /** When the silence reaches the timeout. */
    long deadline() {
        return changedAt + timeoutNanos;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    /** The lease the holder last advertised, or 0 if unknown. */
    long holderLeaseNanos() {
        return holderLeaseNanos;
    }
}
