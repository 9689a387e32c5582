package dev.tandem.ha.rest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import javax.ws.rs.Consumes;
import javax.ws.rs.FormParam;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.CacheControl;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.Response.Status;
import javax.ws.rs.core.SecurityContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.InvalidValueException;
import dev.tandem.ha.api.ManagementNodeState;

/** Brooklyn's {@code /v1/server} endpoints that concern the node and its HA plane, and Tandem's additions. */
@Path("/server")
@Produces(MediaType.APPLICATION_JSON)
public final class ServerResource {

    static final String MODE = "mode";
    static final String PRIORITY = "priority";
    static final String NODE_ID = "nodeId";
    static final String HOLD = "hold";
    static final String ACTIVE_CODE = "activeCode";
    static final String STANDBY_CODE = "standbyCode";
    static final String UNHEALTHY_CODE = "unhealthyCode";
    static final String STANDBY_OK = "standbyOk";
    static final String INTEGER = "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
    static final String STATUS_CODE = "an HTTP status code from 200 to 599";

    /** Health answers by default: 200 acting master; 429 healthy standby (as Vault's /sys/health); 503 else. */
    static final int DEFAULT_ACTIVE_CODE = 200;
    static final int DEFAULT_STANDBY_CODE = 429;
    static final int DEFAULT_UNHEALTHY_CODE = 503;
    static final Duration MAX_HOLD = Duration.ofDays(1);

    private static final CacheControl NO_STORE = CacheControl.valueOf("no-store");

    private final HighAvailabilityService ha;
    private final PlaneCache planes;
    private final ServerEnvironment server;

    public ServerResource(HighAvailabilityService ha, ServerEnvironment server) {
        this(ha, new PlaneCache(ha, Duration.ZERO, System::nanoTime), server);
    }

    ServerResource(HighAvailabilityService ha, PlaneCache planes, ServerEnvironment server) {
        this.ha = Objects.requireNonNull(ha, "ha");
        this.planes = Objects.requireNonNull(planes, "planes");
        this.server = Objects.requireNonNull(server, "server");
    }

    /** True once the node has finished starting and until it stops (Brooklyn: startup complete and running). */
    @GET
    @Path("/up")
    public boolean isUp() {
        ManagementNodeState state = ha.getState();
        return state != ManagementNodeState.INITIALIZING && state != ManagementNodeState.TERMINATED;
    }

    /** True once a shutdown has been asked for (POST {@code /server/shutdown}) or Karaf is stopping. */
    @GET
    @Path("/shuttingDown")
    public boolean isShuttingDown() {
        return server.shuttingDown();
    }

    /**
     * Brooklyn's {@code /server/up/extended}: {@code up}, {@code shuttingDown}, {@code healthy}, {@code ha} (as
     * {@code /server/ha/states}) and {@code osgiUp} in one answer. Brooklyn's sensitive-field settings are not
     * included: Tandem has no such settings.
     */
    @GET
    @Path("/up/extended")
    public Map<String, Object> getUpExtended() {
        Map<String, Object> up = new LinkedHashMap<>();
        up.put("up", isUp());
        up.put("shuttingDown", isShuttingDown());
        up.put("healthy", isHealthy());
        up.put("ha", getHighAvailabilityPlaneStates());
        up.put("osgiUp", server.osgiUp());
        return up;
    }

    /** Brooklyn's {@code /server/version}: the version, the git commit and branch of the build, and the bundles. */
    @GET
    @Path("/version")
    public VersionSummary getVersion() {
        return server.version();
    }

    /**
     * Brooklyn's {@code /server/shutdown}: shuts Karaf down {@code delayForHttpReturn} (default 5s) after answering
     * 204. Allowed on any node, as in Brooklyn; but {@code stopAppsFirst=true} is refused with 403 on a node that is
     * not MASTER. See {@link ShutdownRequest} for the fields.
     */
    @POST
    @Path("/shutdown")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @AnyHaState
    public Response shutdown(@FormParam(ShutdownRequest.STOP_APPS_FIRST) String stopAppsFirst,
            @FormParam(ShutdownRequest.FORCE_SHUTDOWN_ON_ERROR) String forceShutdownOnError,
            @FormParam(ShutdownRequest.SHUTDOWN_TIMEOUT) String shutdownTimeout,
            @FormParam(ShutdownRequest.REQUEST_TIMEOUT) String requestTimeout,
            @FormParam(ShutdownRequest.DELAY_FOR_HTTP_RETURN) String delayForHttpReturn,
            @FormParam(ShutdownRequest.DELAY_MILLIS) String delayMillis) {
        ShutdownRequest request = ShutdownRequest.parse(stopAppsFirst, forceShutdownOnError, shutdownTimeout,
                requestTimeout, delayForHttpReturn, delayMillis);
        if (request.stopAppsFirst() && ha.getState() != ManagementNodeState.MASTER) {
            return ApiError.response(Status.FORBIDDEN, ShutdownRequest.NOT_MASTER_MESSAGE,
                    "this node is " + ha.getState() + "; send it to the " + planes.masterHint()
                            + ", or shut this node down without stopAppsFirst");
        }
        // Tandem runs no applications yet: stopping them first has nothing to wait for, so the shutdown follows
        // at once, delayForHttpReturn after the answer
        server.shutdown(request.delayForHttpReturn());
        return Response.noContent().build();
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
    @ThisNodeOnly
    public ManagementNodeState setHighAvailabilityNodeState(@FormParam(MODE) String mode) {
        HighAvailabilityMode wanted = HighAvailabilityMode.parse(MODE, mode);
        try {
            return ha.changeMode(wanted);
        } finally {
            planes.invalidate();
        }
    }

    @GET
    @Path("/ha/states")
    public HaSummary getHighAvailabilityPlaneStates() {
        return HaSummary.of(planes.get());
    }

    /** Removes the records of every node but the master and this one (live nodes write theirs again). */
    @POST
    @Path("/ha/states/clear")
    public Response clearHighAvailabilityPlaneStates() {
        try {
            ha.clearRecords();
        } finally {
            planes.invalidate();
        }
        return Response.ok().build();
    }

    /** Removes one node's record: not this node's, nor the master's (400 naming {@code nodeId} otherwise). */
    @POST
    @Path("/ha/states/clear/node")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response clearHighAvailabilityPlaneStates(@FormParam(NODE_ID) String nodeId) {
        if (nodeId == null || nodeId.isBlank()) {
            throw new InvalidValueException(NODE_ID, nodeId,
                    "the id of a node other than this one (" + ha.getNodeId() + ") and the master");
        }
        try {
            ha.clearRecord(nodeId.trim());
        } finally {
            planes.invalidate();
        }
        return Response.ok().build();
    }

    @GET
    @Path("/ha/metrics")
    public Map<String, Object> getHighAvailabilityMetrics() {
        return MetricsJson.of(ha.getMetrics(), server.hotCopyLagMillis());
    }

    /** The same figures in the Prometheus text exposition format (0.0.4), for scraping. */
    @GET
    @Path("/ha/metrics/prometheus")
    @Produces(PrometheusText.CONTENT_TYPE)
    public String getHighAvailabilityMetricsForPrometheus() {
        return PrometheusText.of(ha.getMetrics(), ha.isActingMaster(), server.hotCopyLagMillis());
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
    @ThisNodeOnly
    public int setHighAvailabilityPriority(@FormParam(PRIORITY) String priority) {
        int wanted = parseInt(PRIORITY, priority);
        try {
            return ha.setPriority(wanted);
        } finally {
            planes.invalidate();
        }
    }

    /**
     * For load balancers (Vault's {@code /sys/health} style): the status code tells this node's role, 200 on the
     * acting master, 429 on a healthy standby, 503 otherwise; each can be chosen by a query parameter, and
     * {@code standbyOk=true} answers a standby like the master. Never reads the store. Liveness is {@code /server/up}.
     * Read without credentials (allowed by {@code anonymousHealth = true}), the body is {@code {"role": ...}} only.
     */
    /**
     * The notice another node sends when it releases mastership: this node reads the plane now instead of at its
     * next poll. It changes nothing by itself and is rate-limited, so it needs no credentials and is allowed in any
     * state. 204.
     */
    @POST
    @Path("/ha/notice")
    @AnyHaState
    public Response notice() {
        ha.checkPlaneSoon();
        return Response.noContent().build();
    }

    @GET
    @Path("/ha/health")
    public Response getHighAvailabilityHealth(@Context SecurityContext caller, @QueryParam(ACTIVE_CODE) String activeCode,
            @QueryParam(STANDBY_CODE) String standbyCode, @QueryParam(UNHEALTHY_CODE) String unhealthyCode,
            @QueryParam(STANDBY_OK) String standbyOk) {
        int active = statusCode(ACTIVE_CODE, activeCode, DEFAULT_ACTIVE_CODE);
        int standby = statusCode(STANDBY_CODE, standbyCode, DEFAULT_STANDBY_CODE);
        int unhealthy = statusCode(UNHEALTHY_CODE, unhealthyCode, DEFAULT_UNHEALTHY_CODE);
        boolean standbyIsOk = parseBoolean(STANDBY_OK, standbyOk);
        HaHealth health = HaHealth.of(ha);
        int status = switch (health.role()) {
            case HaHealth.ACTIVE -> active;
            case HaHealth.STANDBY -> standbyIsOk ? active : standby;
            default -> unhealthy;
        };
        // without credentials (anonymousHealth = true) the answer tells the role only
        Object body = caller == null || caller.getUserPrincipal() == null ? Map.of("role", health.role()) : health;
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).cacheControl(NO_STORE).entity(body)
                .build();
    }

    /**
     * Graceful handover: the master stands by, the best other candidate takes over, and this node does not take
     * mastership back for {@code hold} (default: the heartbeat timeout). Answers the previous state. 409 if this
     * node is not the master (it can be reached only with {@code Brooklyn-Allow-Non-Master-Access: true}).
     */
    @POST
    @Path("/ha/stepdown")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response stepDown(@FormParam(HOLD) String hold) {
        Duration holdFor = hold == null || hold.isBlank()
                ? Duration.ofMillis(ha.getMetrics().heartbeatTimeoutMillis())
                : RestDurations.parse(HOLD, hold, MAX_HOLD);
        if (ha.getState() != ManagementNodeState.MASTER) {
            return notMaster();
        }
        try {
            return Response.ok(ha.stepDown(holdFor.toMillis())).build();
        } catch (IllegalStateException e) {
            if (ha.getState() != ManagementNodeState.MASTER) {
                return notMaster(); // lost mastership between the check and the call
            }
            throw e;
        } finally {
            planes.invalidate();
        }
    }

    private Response notMaster() {
        return ApiError.response(Status.CONFLICT, "Only the master can step down: this node is " + ha.getState(),
                "send the request to the " + planes.masterHint());
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

    private static int statusCode(String field, String value, int dflt) {
        if (value == null) {
            return dflt;
        }
        try {
            int code = Integer.parseInt(value.trim());
            if (code >= 200 && code <= 599) {
                return code;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidValueException(field, value, STATUS_CODE);
    }

    private static boolean parseBoolean(String field, String value) {
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true") || value.isEmpty()) {
            return true; // "?standbyOk" alone, as Vault reads it
        }
        throw new InvalidValueException(field, value, "true or false");
    }
}
