package dev.tandem.ha.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tandem.ha.api.HaMetrics;

import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.InvalidValueException;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.NodeRecord;
import dev.tandem.ha.api.PlaneView;

/** A hand-driven HA service: tests set its state and read back what the API asked of it. */
final class FakeHighAvailabilityService implements HighAvailabilityService {

    static final String OWN_ID = "node-a";
    static final String OTHER_ID = "node-b";
    static final String OTHER_URI = "http://127.0.0.12:8081/";

    volatile ManagementNodeState state;
    volatile boolean actingMaster;
    volatile String planeId;
    volatile String masterId;
    volatile int priority;
    volatile HighAvailabilityMode lastMode;
    /** Thrown by every method that reads or changes the plane, when set. */
    volatile RuntimeException failure;
    /** Thrown by getState, when set (a service that fails even to tell its state). */
    volatile RuntimeException stateFailure;
    /** The hold of the last step-down, or -1. */
    volatile long lastHoldMillis;
    final List<String> clearedRecords = new ArrayList<>();
    final AtomicInteger clearAllCalls = new AtomicInteger();
    final AtomicInteger planeReads = new AtomicInteger();

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
        stateFailure = null;
        lastHoldMillis = -1;
        clearedRecords.clear();
        clearAllCalls.set(0);
        planeReads.set(0);
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
        RuntimeException f = stateFailure;
        if (f != null) {
            throw f;
        }
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
        planeReads.incrementAndGet();
        Map<String, NodeRecord> nodes = new LinkedHashMap<>();
        ManagementNodeState other = OTHER_ID.equals(masterId) ? ManagementNodeState.MASTER
                : ManagementNodeState.HOT_STANDBY;
        nodes.put(OWN_ID, new NodeRecord(OWN_ID, "http://127.0.0.11:8081/", state, priority, "0.1.0", 3, 40,
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

    @Override
    public ManagementNodeState stepDown(long holdMillis) {
        failIfAsked();
        if (state != ManagementNodeState.MASTER) {
            throw new IllegalStateException("node " + OWN_ID + " is " + state + ", not MASTER");
        }
        lastHoldMillis = holdMillis;
        becomeStandby();
        return ManagementNodeState.MASTER;
    }

    @Override
    public void checkPlaneSoon() {
        noticesReceived++;
    }

    /** How many release notices arrived ({@link #checkPlaneSoon()}). */
    int noticesReceived;

    @Override
    public void clearRecords() {
        failIfAsked();
        clearAllCalls.incrementAndGet();
    }

    @Override
    public void clearRecord(String nodeId) {
        failIfAsked();
        if (nodeId == null || nodeId.equals(OWN_ID) || nodeId.equals(masterId) || !nodeId.equals(OTHER_ID)) {
            throw new InvalidValueException("nodeId", nodeId, "the id of a node other than this one (" + OWN_ID
                    + ") and the master that has a record");
        }
        clearedRecords.add(nodeId);
    }

    @Override
    public HaMetrics getMetrics() {
        failIfAsked();
        return new HaMetrics(OWN_ID, state, 3, 12_345, 1_000, 30_000, 20_000, "folder /tmp/store", "ATOMIC",
                Map.of("read", 10L, "write", 5L),
                List.of(new HaMetrics.StateChange(1_700_000_000_000L, ManagementNodeState.INITIALIZING,
                        ManagementNodeState.MASTER, 3, "elected")));
    }
}
