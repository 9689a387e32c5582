package dev.tandem.ha.api;

import org.osgi.annotation.versioning.ProviderType;

/** This node's membership of the HA plane. Registered as an OSGi service by Tandem's core. */
@ProviderType
public interface HighAvailabilityService {

    /** This node's id; a new one for each start of the node. */
    String getNodeId();

    /** The plane's id, or {@code null} before the node has joined a plane. */
    String getPlaneId();

    /** This node's current state. */
    ManagementNodeState getState();

    /** The mode the node was configured or last asked to run in. */
    HighAvailabilityMode getMode();

    /** Why the node is FAILED (a refused start, a configuration error), or {@code null}. */
    String getFailureReason();

    /** The latest view of the plane (reads the store). */
    PlaneView getPlane();

    /**
     * Asks the node to run in another mode and waits until the change has been carried out.
     *
     * @return the state the node had before the change
     */
    ManagementNodeState changeMode(HighAvailabilityMode mode);

    int getPriority();

    /** Sets this node's election priority; returns the previous one. */
    int setPriority(int priority);

    /** True while this node is MASTER and its lease is valid: the only time master-only work may run. */
    boolean isActingMaster();

    /** The mastership epoch this node holds while MASTER, else the latest epoch it has seen. */
    long getEpoch();

    /**
     * Graceful handover: the master steps down to HOT_STANDBY (its mode unchanged), the best other
     * candidate takes over, and this node does not take mastership back for {@code holdMillis}.
     *
     * @return the state before
     * @throws IllegalStateException if this node is not MASTER
     */
    ManagementNodeState stepDown(long holdMillis);

    /**
     * Reads the plane now instead of at the next poll: another node has just released mastership. Changes
     * nothing by itself (the store's records decide); calls closer together than a tenth of a poll are merged.
     *
     * @since 1.1
     */
    void checkPlaneSoon();

    /** Removes the records of every node but the master and this node (live nodes write theirs again). */
    void clearRecords();

    /**
     * Removes one node's record.
     *
     * @throws InvalidValueException if the node is the current master or this node, or has no record
     */
    void clearRecord(String nodeId);

    HaMetrics getMetrics();
}
