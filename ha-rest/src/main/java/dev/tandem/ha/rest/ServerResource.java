package dev.tandem.ha.rest;

import java.util.Objects;

import javax.ws.rs.Consumes;
import javax.ws.rs.FormParam;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.InvalidValueException;
import dev.tandem.ha.api.ManagementNodeState;

/** Brooklyn's {@code /v1/server} endpoints that concern the node and its HA plane. */
@Path("/server")
@Produces(MediaType.APPLICATION_JSON)
public final class ServerResource {

    static final String MODE = "mode";
    static final String PRIORITY = "priority";
    static final String INTEGER = "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;

    private final HighAvailabilityService ha;

    public ServerResource(HighAvailabilityService ha) {
        this.ha = Objects.requireNonNull(ha, "ha");
    }

    /** True once the node has finished starting and until it stops (Brooklyn: startup complete and running). */
    @GET
    @Path("/up")
    public boolean isUp() {
        ManagementNodeState state = ha.getState();
        return state != ManagementNodeState.INITIALIZING && state != ManagementNodeState.TERMINATED;
    }

    /**
     * True while the node is a healthy member of the plane: MASTER, HOT_STANDBY, STANDBY or HOT_BACKUP. False while
     * INITIALIZING, FAILED (a refused start, a configuration error) or TERMINATED.
     */
    @GET
    @Path("/healthy")
    public boolean isHealthy() {
        return ha.getState().isHealthyMember();
    }

    /** The plane's id as a JSON string, or JSON {@code null} before the node has joined a plane. */
    @GET
    @Path("/planeid")
    public JsonNode getPlaneId() {
        String planeId = ha.getPlaneId();
        return planeId == null ? JsonNodeFactory.instance.nullNode() : JsonNodeFactory.instance.textNode(planeId);
    }

    @GET
    @Path("/ha/state")
    public ManagementNodeState getHighAvailabilityNodeState() {
        return ha.getState();
    }

    /** Asks this node to run in another HA mode; answers the state it had before. */
    @POST
    @Path("/ha/state")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @AnyHaState
    public ManagementNodeState setHighAvailabilityNodeState(@FormParam(MODE) String mode) {
        return ha.changeMode(HighAvailabilityMode.parse(MODE, mode));
    }

    @GET
    @Path("/ha/states")
    public HaSummary getHighAvailabilityPlaneStates() {
        return HaSummary.of(ha.getPlane());
    }

    @GET
    @Path("/ha/priority")
    public int getHighAvailabilityPriority() {
        return ha.getPriority();
    }

    /** Sets this node's election priority; answers the previous one. */
    @POST
    @Path("/ha/priority")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @AnyHaState
    public int setHighAvailabilityPriority(@FormParam(PRIORITY) String priority) {
        return ha.setPriority(parseInt(PRIORITY, priority));
    }

    static int parseInt(String field, String value) {
        if (value != null) {
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                // answered below, naming the field and what is accepted
            }
        }
        throw new InvalidValueException(field, value, INTEGER);
    }
}
