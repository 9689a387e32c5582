package dev.tandem.ha.rest;

import java.lang.reflect.Method;
import java.util.Set;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response.Status;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.NodeRecord;
import dev.tandem.ha.api.PlaneView;

/**
 * Brooklyn's non-master gating ({@code HaHotCheckResourceFilter}): a request other than GET or HEAD is refused with
 * 403 unless this node is the acting master, the resource method is marked {@link AnyHaState}, or the request
 * carries {@code Brooklyn-Allow-Non-Master-Access: true}. Stricter than Brooklyn in one way: a MASTER whose lease
 * has lapsed is not the acting master and refuses too.
 */
@Priority(Priorities.AUTHORIZATION + 100)
final class MasterOnlyFilter implements ContainerRequestFilter {

    static final String OVERRIDE_HEADER = "Brooklyn-Allow-Non-Master-Access";
    static final String MESSAGE = "This request is only permitted against an active primary Brooklyn server";

    private static final Logger LOG = LoggerFactory.getLogger(MasterOnlyFilter.class);
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD");

    private final HighAvailabilityService ha;

    @Context
    private ResourceInfo resourceInfo;

    MasterOnlyFilter(HighAvailabilityService ha) {
        this.ha = ha;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (SAFE_METHODS.contains(request.getMethod())
                || "true".equalsIgnoreCase(request.getHeaderString(OVERRIDE_HEADER))
                || allowedInAnyState()
                || ha.isActingMaster()) {
            return;
        }
        String problem = "this node is " + ha.getState() + ", not the acting master";
        LOG.debug("Refused {} {}: {}", request.getMethod(), request.getUriInfo().getPath(), problem);
        request.abortWith(ApiError.response(Status.FORBIDDEN, MESSAGE + " (" + masterHint() + ")",
                problem + "; send the request to the master, or set the header '" + OVERRIDE_HEADER
                        + ": true' to force it here"));
    }

    private boolean allowedInAnyState() {
        Method method = resourceInfo.getResourceMethod();
        return method != null && (method.isAnnotationPresent(AnyHaState.class)
                || resourceInfo.getResourceClass().isAnnotationPresent(AnyHaState.class));
    }

    private String masterHint() {
        PlaneView plane;
        try {
            plane = ha.getPlane();
        } catch (RuntimeException e) {
            return "the plane cannot be read: " + e.getMessage();
        }
        NodeRecord master = plane.masterId() == null ? null : plane.nodes().get(plane.masterId());
        if (master == null) {
            return "no master is known";
        }
        return "master " + master.nodeId() + (master.nodeUri() == null ? "" : " at " + master.nodeUri());
    }
}
