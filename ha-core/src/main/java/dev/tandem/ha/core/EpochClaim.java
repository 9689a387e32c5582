package dev.tandem.ha.core;

/**
 * The record of one mastership epoch: who claimed it, when (the claimant's wall clock, for people) and
 * why. Immutable once created; the kept claims are the plane's audit trail.
 */
public record EpochClaim(long epoch, String nodeId, String nodeUri, long claimedAt, String reason) {
    public EpochClaim {
        if (epoch <= 0) {
            throw new IllegalArgumentException("epoch must be positive: " + epoch);
        }
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("nodeId must not be blank");
        }
    }
}
