package dev.tandem.ha.rest;

import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.ManagementNodeState;

/**
 * The body of {@code GET /v1/server/ha/health}: this node's role for a load balancer. Made from the node's own
 * state only: answering it never reads the store.
 *
 * @param nodeId       this node
 * @param state        its state
 * @param actingMaster MASTER with a valid lease
 * @param role         {@code active} (acting master), {@code standby} (healthy STANDBY, HOT_STANDBY or HOT_BACKUP)
 *                     or {@code unhealthy} (anything else: INITIALIZING, FAILED, TERMINATED, a MASTER whose lease
 *                     lapsed)
 */
public record HaHealth(String nodeId, ManagementNodeState state, boolean actingMaster, String role) {

    static final String ACTIVE = "active";
    static final String STANDBY = "standby";
    static final String UNHEALTHY = "unhealthy";

    static HaHealth of(HighAvailabilityService ha) {
        ManagementNodeState state = ha.getState();
        boolean acting = state == ManagementNodeState.MASTER && ha.isActingMaster();
        String role;
        if (acting) {
            role = ACTIVE;
        } else if (state.isHealthyMember() && state != ManagementNodeState.MASTER) {
            role = STANDBY;
        } else {
            role = UNHEALTHY;
        }
        return new HaHealth(ha.getNodeId(), state, acting, role);
    }
}
