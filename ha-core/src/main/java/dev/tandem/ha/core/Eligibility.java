package dev.tandem.ha.core;

/**
 * Whether a node stays out of elections for now: after a step-down it asked for (a hold, whatever the
 * epoch), or after handing mastership over (until a newer epoch exists, or a timeout passes), so that a
 * demoted master does not elect itself again at once. Advertised in its record ({@code holding}), so
 * that the other nodes do not rank it first and wait for a claim that will not come.
 */
final class Eligibility {
    private long holdUntil;
    private boolean holding;
    private long excludedUpToEpoch = -1;
    private long excludedUntil;

    void hold(long now, long holdNanos) {
        holdUntil = now + holdNanos;
        holding = holdNanos > 0;
    }

    void exclude(long epoch, long now, long forNanos) {
        excludedUpToEpoch = epoch;
        excludedUntil = now + forNanos;
    }

    void clearExclusion() {
        excludedUpToEpoch = -1;
        holding = false;
    }

    boolean excluded(long now, long knownEpoch) {
        return excludedUpToEpoch >= knownEpoch && now - excludedUntil < 0 || holding && now - holdUntil < 0;
    }
}
