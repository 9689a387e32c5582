package dev.tandem.ha.core;

import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.ManagementNodeState;

/**
 * Where a node goes when it enters its mode (at start, or after a mode change from FAILED), given what it
 * read of the plane: Brooklyn's start-up table. Pure: no store, no clock.
 */
final class StartupTable {

    /** What to do. */
    enum Action { BECOME, ELECT, CLAIM, FAIL }

    record Decision(Action action, ManagementNodeState state, String reason) {}

    private StartupTable() {}

    /**
     * @param released      no epoch is held, or its holder has released it (or it is this node's own)
     * @param healthyMaster the holder says MASTER and its record is fresh
     * @param masterName    the holder's id, for messages
     */
    static Decision decide(HighAvailabilityMode mode, boolean released, boolean healthyMaster, String masterName,
            String why) {
        switch (mode) {
            case AUTO:
                return released ? new Decision(Action.ELECT, ManagementNodeState.HOT_STANDBY, why + ": no master; electing")
                        : new Decision(Action.BECOME, ManagementNodeState.HOT_STANDBY, why + ": master is " + masterName);
            case MASTER:
                return healthyMaster
                        ? new Decision(Action.FAIL, ManagementNodeState.FAILED,
                                "Master already exists; cannot run as master (master " + masterName + ")")
                        : new Decision(Action.CLAIM, ManagementNodeState.HOT_STANDBY, why + ": claiming mastership");
            case STANDBY:
            case HOT_STANDBY:
                return healthyMaster
                        ? new Decision(Action.BECOME, followerState(mode), why + ": master is " + masterName)
                        : new Decision(Action.FAIL, ManagementNodeState.FAILED, "No existing master; cannot start as " + mode);
            case HOT_BACKUP:
                return new Decision(Action.BECOME, ManagementNodeState.HOT_BACKUP, why);
            default:
                return new Decision(Action.FAIL, ManagementNodeState.FAILED,
                        "high availability DISABLED by an operator: the node has left the plane");
        }
    }

    /** The state a node in this mode takes when it is not master. */
    static ManagementNodeState followerState(HighAvailabilityMode m) {
        switch (m) {
            case STANDBY: return ManagementNodeState.STANDBY;
            case HOT_BACKUP: return ManagementNodeState.HOT_BACKUP;
            case DISABLED: return ManagementNodeState.INITIALIZING; // HA disabled in the configuration: never stands by
            default: return ManagementNodeState.HOT_STANDBY;
        }
    }

    /** Whether a node in this mode and state takes part in elections. */
    static boolean electable(HighAvailabilityMode mode, ManagementNodeState state) {
        return (mode == HighAvailabilityMode.AUTO || mode == HighAvailabilityMode.MASTER
                || mode == HighAvailabilityMode.STANDBY || mode == HighAvailabilityMode.HOT_STANDBY)
                && state.isElectable();
    }
}
