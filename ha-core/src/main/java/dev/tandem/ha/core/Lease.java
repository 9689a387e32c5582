package dev.tandem.ha.core;

/**
 * A master's lease: the chain of renewals that lets it act. The lease lasts from the start of the tick that
 * renewed it, on the monotonic clock. A lapsed lease is never renewed: after a lapse the standbys may
 * already have taken over, so the chain is broken for good.
 *
 * <p>The wall clock guards the monotonic one: a monotonic clock that stopped (VM suspend, host sleep,
 * checkpoint/restore) would make a lease look valid after it ran out in real time, so the lease also ends
 * once the wall clock has moved its length since the renewal. A wall clock that jumps forward only ends the
 * lease early. Written on the node's thread; read from any thread.
 */
final class Lease {
    private volatile long expiresAtNanos;
    private volatile long wallDeadlineMillis;
    private volatile boolean held;

    /** Starts a chain at {@code startNanos} (the start of the claim), lasting {@code leaseNanos}. */
    void start(long startNanos, long startWallMillis, long leaseNanos) {
        expiresAtNanos = startNanos + leaseNanos;
        wallDeadlineMillis = startWallMillis + leaseNanos / 1_000_000;
        held = true;
    }

    /**
     * Extends the lease from a tick that began at {@code tickStartNanos} and ended at {@code endNanos}, if
     * the tick renewed it ({@code renewed}: heartbeat written and epoch checked), did so within
     * {@code deadlineNanos}, and the lease was valid for the whole tick.
     *
     * @return whether the lease is valid at {@code endNanos}
     */
    boolean renew(long tickStartNanos, long tickStartWallMillis, long endNanos, long endWallMillis, boolean renewed,
            long leaseNanos, long deadlineNanos) {
        if (!isValid(endNanos, endWallMillis)) {
            end();
            return false;
        }
        if (renewed && endNanos - tickStartNanos <= deadlineNanos) {
            expiresAtNanos = tickStartNanos + leaseNanos;
            wallDeadlineMillis = tickStartWallMillis + leaseNanos / 1_000_000;
        }
        return isValid(endNanos, endWallMillis);
    }

    /** Shortens the lease to end no later than {@code startNanos + leaseNanos} (a shorter timeout is about to be advertised). */
    void capTo(long startNanos, long startWallMillis, long leaseNanos) {
        if (expiresAtNanos - (startNanos + leaseNanos) > 0) {
            expiresAtNanos = startNanos + leaseNanos;
        }
        wallDeadlineMillis = Math.min(wallDeadlineMillis, startWallMillis + leaseNanos / 1_000_000);
    }

    void end() {
        held = false;
    }

    boolean isValid(long nowNanos, long nowWallMillis) {
        return held && nowNanos - expiresAtNanos < 0 && nowWallMillis < wallDeadlineMillis;
    }

    boolean held() {
        return held;
    }

    long expiresAtNanos() {
        return expiresAtNanos;
    }
}
