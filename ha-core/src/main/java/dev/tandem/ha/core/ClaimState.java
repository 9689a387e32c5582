package dev.tandem.ha.core;

/**
 * A node's claims in progress: the claimed epoch it waits to act on (pending), the cap on the epoch its
 * record advertises until the fence has passed, and its last claim attempt whose answer it did not get.
 *
 * <p>Invariant: while a claim is pending, or its fence has not passed, the node's record advertises no
 * epoch above the one before its claim, so nobody reads the claim as released while the previous master
 * may still act.
 */
final class ClaimState {
    /** A claimed epoch to act on once the previous holder released it, or once {@code fenceAt} has passed. */
    record Pending(long epoch, long fenceAt, String previousHolder) {}

    /** A claim attempt; {@code immediate} if the previous holder was known to have stopped acting. */
    record Attempt(long epoch, long startNanos, long startWallMillis, boolean immediate) {}

    private Pending pending;
    private long fenceCap = Long.MAX_VALUE;
    private long fenceUntil;
    private Attempt unanswered;

    Pending pending() {
        return pending;
    }

    void startPending(long epoch, long claimedAt, String previousHolder, long fenceNanos) {
        pending = new Pending(epoch, claimedAt + fenceNanos, previousHolder);
        fenceCap = epoch - 1;
        fenceUntil = pending.fenceAt();
    }

    /** The node stops waiting for its claim; the cap on its record stays until the fence. */
    void dropPending() {
        pending = null;
    }

    /** Nobody else can be acting in the capped epoch (its holder released it): the claim may show as it is. */
    void liftCap(long now) {
        fenceUntil = now;
    }

    long advertisedEpoch(long known, long now) {
        boolean capped = pending != null || now - fenceUntil < 0;
        return capped ? Math.min(known, fenceCap) : known;
    }

    void attempting(Attempt attempt) {
        unanswered = attempt;
    }

    void answered() {
        unanswered = null;
    }

    /** The attempt whose answer was lost, if it was for {@code epoch}. */
    Attempt unansweredFor(long epoch) {
        return unanswered != null && unanswered.epoch() == epoch ? unanswered : null;
    }
}
