package dev.tandem.ha.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.NodeRecord;
import dev.tandem.ha.api.PlaneView;

/** A hand-driven HA service: tests set its state and read back what the API asked of it. */
final class FakeHighAvailabilityService implements HighAvailabilityService {

    static final String OWN_ID = "node-a";
    static final String OTHER_ID = "node-b";
    static final String OTHER_URI = "http://10.0.0.2:8081/";

    volatile ManagementNodeState state;
    volatile boolean actingMaster;
    volatile String planeId;
    volatile String masterId;
    volatile int priority;
    volatile HighAvailabilityMode lastMode;
    /** Thrown by every method that reads or changes the plane, when set. */
    volatile RuntimeException failure;

    FakeHighAvailabilityService() {
        reset();
    }

    void reset() {
        state = ManagementNodeState.MASTER;
        actingMaster = true;
        planeId = "plane-1";
        masterId = OWN_ID;
        priority = 5;
        lastMode = null;
        failure = null;
    }

    /** Makes this node a hot standby of {@link #OTHER_ID}. */
    void becomeStandby() {
        state = ManagementNodeState.HOT_STANDBY;
        actingMaster = false;
        masterId = OTHER_ID;
    }

    private void failIfAsked() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    @Override
    public String getNodeId() {
        return OWN_ID;
    }

    @Override
    public String getPlaneId() {
        return planeId;
    }

    @Override
    public ManagementNodeState getState() {
        return state;
    }

    @Override
    public HighAvailabilityMode getMode() {
        return HighAvailabilityMode.AUTO;
    }

    @Override
    public String getFailureReason() {
        return null;
    }

    @Override
    public PlaneView getPlane() {
        failIfAsked();
        Map<String, NodeRecord> nodes = new LinkedHashMap<>();
        ManagementNodeState other = OTHER_ID.equals(masterId) ? ManagementNodeState.MASTER
                : ManagementNodeState.HOT_STANDBY;
        nodes.put(OWN_ID, new NodeRecord(OWN_ID, "http://10.0.0.1:8081/", state, priority, "0.1.0", 3, 40,
                1_700_000_000_000L, 1_700_000_000_123L));
        nodes.put(OTHER_ID, new NodeRecord(OTHER_ID, OTHER_URI, other, 0, "0.1.0", 3, 41, 1_700_000_001_000L,
                1_700_000_001_456L));
        return new PlaneView(planeId, OWN_ID, masterId, 3, nodes);
    }

    @Override
    public ManagementNodeState changeMode(HighAvailabilityMode mode) {
        failIfAsked();
        ManagementNodeState previous = state;
        lastMode = mode;
        return previous;
    }

    @Override
    public int getPriority() {
        failIfAsked();
        return priority;
    }

    @Override
    public int setPriority(int newPriority) {
        failIfAsked();
        int previous = priority;
        priority = newPriority;
        return previous;
    }

    @Override
    public boolean isActingMaster() {
        return actingMaster;
    }

    @Override
    public long getEpoch() {
        return 3;
    }
}
