package dev.tandem.ha.core;

/**
 * A standby's watch of the holder of the newest epoch, on the standby's own monotonic clock. Silence is
 * measured from the END of the read that saw the last change to the START of a read that sees none: the
 * holder's unseen renewals must then have begun before its lease ran out, however slow either read was.
 * The timeout is the one the holder advertised with the heartbeat last seen (its lease came from it), or
 * this node's own when the holder's record does not say.
 *
 * <p>It also says when to read next. The holder announces how long after each write it writes the next one; a
 * standby that reads just after that moment starts timing the silence almost at the holder's last write instead of
 * up to a poll later, so a crashed master is replaced up to a poll sooner. The moment is placed on this node's
 * clock through the wall clocks (the record's timestamp against this node's wall time): it only times reads, never
 * the silence, so a skewed wall clock makes the reads late or early, never the takeover unsafe; an announced moment
 * that cannot be right (before the read that saw it, or more than 1.1 intervals after it) is ignored, and the poll
 * goes on as before.
 */
final class HolderWatch {
    enum Verdict { CHANGED, SILENT, WAITING }

    /** Reads after an announced heartbeat that may find it not yet written, before the watch waits for the poll. */
    static final int ALIGNED_READS = 4;

    private static final long UNSEEN = Long.MIN_VALUE;
    private long heartbeat = UNSEEN;
    private long changedAt;
    private long timeoutNanos;
    private long holderLeaseNanos;
    private boolean beatAnnounced;
    private long beatAt;
    private int misses;
    private long readNanos;

    /** Forgets what was seen: silence is timed from {@code now}, with {@code timeoutNanos}. */
    void reset(long now, long timeoutNanos) {
        heartbeat = UNSEEN;
        changedAt = now;
        this.timeoutNanos = timeoutNanos;
        this.holderLeaseNanos = 0;
        beatAnnounced = false;
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
        readNanos = readEnd - readStart;
        if (seen != heartbeat) {
            heartbeat = seen;
            changedAt = readEnd;
            timeoutNanos = holderTimeoutNanos > 0 ? holderTimeoutNanos : ownTimeoutNanos;
            this.holderLeaseNanos = holderLeaseNanos;
            beatAnnounced = false;
            return Verdict.CHANGED;
        }
        if (beatAnnounced && readStart - beatAt >= 0 && ++misses >= ALIGNED_READS) {
            beatAnnounced = false; // the holder is late or gone: back to the poll until it writes again
        }
        return readStart - changedAt >= timeoutNanos ? Verdict.SILENT : Verdict.WAITING;
    }

    /**
     * After a read that saw a change: the holder's next heartbeat is announced for {@code announcedAt} on this node's
     * clock. Ignored unless it falls after the read and at most {@code intervalNanos} (plus a tenth of it) later.
     */
    void announced(long announcedAt, long intervalNanos) {
        long after = announcedAt - changedAt;
        if (intervalNanos > 0 && after > 0 && after <= intervalNanos + intervalNanos / 10) {
            beatAnnounced = true;
            beatAt = announcedAt;
            misses = 0;
        }
    }

    /** Whether {@link #alignedReadAt} says anything. */
    boolean beatAnnounced() {
        return beatAnnounced;
    }

    /**
     * When to start the next read to see the announced heartbeat: a step after it, and another step later after each
     * read that did not find it yet. The step is a fiftieth of the poll, or twice the last read's latency when that
     * is longer (the holder's write takes about as long), and at most a quarter of the poll.
     */
    long alignedReadAt(long pollNanos) {
        long step = Math.min(Math.max(pollNanos / 50, 2 * readNanos), pollNanos / 4);
        return beatAt + (misses + 1) * step;
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
