package dev.tandem.ha.core;

/** The record of one mastership epoch: who claimed it. Immutable once created. */
record EpochClaim(long epoch, String nodeId, String nodeUri, long claimedAt) {
    EpochClaim {
        if (epoch <= 0) {
            throw new IllegalArgumentException("epoch must be positive: " + epoch);
        }
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("nodeId must not be blank");
        }
    }
}
