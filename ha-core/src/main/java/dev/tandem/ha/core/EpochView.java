package dev.tandem.ha.core;

/**
 * The newest epoch this node knows of, and who holds it: the claim's node, or, where the claim record is
 * unreadable, the node whose own record says it is MASTER of that epoch (found by reading the records).
 */
final class EpochView {
    private long known;
    private EpochClaim claim;
    private String holderFromRecords;
    /** A node whose own record says it is MASTER of the known epoch although the claim names another (see below). */
    private String holderByRecord;

    long known() {
        return known;
    }

    EpochClaim claim() {
        return claim;
    }

    /** The holder's id, or null while unknown. */
    String holder() {
        if (holderByRecord != null) {
            return holderByRecord;
        }
        return claim != null ? claim.nodeId() : holderFromRecords;
    }

    boolean heldBy(String nodeId) {
        return nodeId.equals(holder());
    }

    void advanceTo(long epoch, EpochClaim readClaim) {
        known = epoch;
        claim = readClaim;
        holderFromRecords = null;
        holderByRecord = null;
    }

    /**
     * The claim names a node that is not master, but another node's own record says it is MASTER of the known epoch:
     * the claim was overwritten after that node won it (on a store without conditional writes, the final write of a
     * timed claim that its sender gave up on can land late). The node whose record says MASTER is the holder.
     */
    void holderByRecord(String nodeId) {
        holderByRecord = nodeId;
    }

    /** The claim is unreadable, but this node's record says it is master of the known epoch. */
    void holderFoundInRecords(String nodeId) {
        holderFromRecords = nodeId;
    }
}
