package dev.tandem.ha.core;

/**
 * The newest epoch this node knows of, and who holds it: the claim's node, or, where the claim cannot be believed,
 * the node whose own record says it is MASTER of that epoch (found by reading the records): the claim is unreadable,
 * or it names a node that is not master because a late write overwrote it after that node won the epoch (on a store
 * without conditional writes, the final write of a timed claim that its sender gave up on can land late).
 */
final class EpochView {
    private long known;
    private EpochClaim claim;
    /** The node whose own record says it is MASTER of the known epoch, where the claim cannot be believed. */
    private String holderFromRecords;

    long known() {
        return known;
    }

    EpochClaim claim() {
        return claim;
    }

    /** The holder's id, or null while unknown. */
    String holder() {
        return holderFromRecords != null ? holderFromRecords : claim != null ? claim.nodeId() : null;
    }

    boolean heldBy(String nodeId) {
        return nodeId.equals(holder());
    }

    void advanceTo(long epoch, EpochClaim readClaim) {
        known = epoch;
        claim = readClaim;
        holderFromRecords = null;
    }

    /** The claim cannot be believed, but this node's own record says it is master of the known epoch. */
    void holderFoundInRecords(String nodeId) {
        holderFromRecords = nodeId;
    }
}
