package dev.tandem.ha.core;

/**
 * The newest epoch this node knows of, and who holds it: the claim's node, or, where the claim record is
 * unreadable, the node whose own record says it is MASTER of that epoch (found by reading the records).
 */
final class EpochView {
    private long known;
    private EpochClaim claim;
    private String holderFromRecords;

    long known() {
        return known;
    }

    EpochClaim claim() {
        return claim;
    }

    /** The holder's id, or null while unknown. */
    String holder() {
        return claim != null ? claim.nodeId() : holderFromRecords;
    }

    boolean heldBy(String nodeId) {
        return nodeId.equals(holder());
    }

    void advanceTo(long epoch, EpochClaim readClaim) {
        known = epoch;
        claim = readClaim;
        holderFromRecords = null;
    }

    /** The claim is unreadable, but this node's record says it is master of the known epoch. */
    void holderFoundInRecords(String nodeId) {
        holderFromRecords = nodeId;
    }
}
