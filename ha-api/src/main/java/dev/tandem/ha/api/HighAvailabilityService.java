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
}
