package dev.tandem.ha.core;

import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.ManagementNodeState;

/** A mode change at run time on a node that has joined the plane: what each new mode asks of each state. */
final class ModeChange {
    private final NodeContext node;

    ModeChange(NodeContext node) {
        this.node = node;
    }

    void apply(HighAvailabilityMode newMode) {
        ManagementNodeState state = node.state;
        boolean outside = state == ManagementNodeState.FAILED || state == ManagementNodeState.INITIALIZING;
        String why = "mode changed to " + newMode;
        switch (newMode) {
            case DISABLED:
                node.claims.dropPending();
                node.fail("high availability DISABLED by an operator: the node has left the plane");
                node.io.writeOwnRecord();
                break;
            case MASTER:
                if (outside) {
                    node.joiner.enterMode(why);
                } else if (state != ManagementNodeState.MASTER && node.claims.pending() == null) {
                    if (state == ManagementNodeState.HOT_BACKUP) {
                        // it now wants mastership: electable, so that a claim that fails is retried by elections
                        node.transition(ManagementNodeState.HOT_STANDBY, why);
                    }
                    node.claimer.takeOver(why);
                }
                break;
            case AUTO:
                if (outside) {
                    node.joiner.enterMode(why);
                } else if (state != ManagementNodeState.MASTER) {
                    node.transition(ManagementNodeState.HOT_STANDBY, why);
                }
                break;
            default:
                ManagementNodeState target = StartupTable.followerState(newMode);
                if (state == ManagementNodeState.MASTER) {
                    node.stepDown(target, why);
                } else if (outside) {
                    node.joiner.enterMode(why);
                } else {
                    if (newMode == HighAvailabilityMode.HOT_BACKUP) {
                        node.claims.dropPending();
                    }
                    node.transition(target, why);
                }
                break;
        }
    }
}
