package dev.tandem.ha.rest;

import java.lang.reflect.Method;
import java.net.URI;
import java.util.Set;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response.Status;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.NodeRecord;

/**
 * Brooklyn's non-master gating ({@code HaHotCheckResourceFilter}): a request other than GET or HEAD is refused with
 * 403 unless this node is the acting master, the resource method is marked {@link AnyHaState} (only
 * {@code /server/shutdown}, as in Brooklyn), or the request carries {@code Brooklyn-Allow-Non-Master-Access: true}.
 * Mode and priority changes are not exempt: on a standby they need the header, as in Brooklyn. The 403 names the
 * master and its URI when known. Stricter than Brooklyn in one way: a MASTER whose lease has lapsed is not the acting
 * master and refuses too.
 *
 * <p>With {@link RestSettings#redirectNonMasterWrites()}, such a request is answered 307 Temporary Redirect with
 * {@code Location} on the same path at the master's {@code nodeUri} instead (307 keeps method and body), when the
 * master and its URI are known and the method is not marked {@link ThisNodeOnly}; otherwise it is still 403.
 */
@Priority(Priorities.AUTHORIZATION + 100)
final class MasterOnlyFilter implements ContainerRequestFilter {

    static final String OVERRIDE_HEADER = "Brooklyn-Allow-Non-Master-Access";
    static final String MESSAGE = "This request is only permitted against an active primary Brooklyn server";

    private static final Logger LOG = LoggerFactory.getLogger(MasterOnlyFilter.class);
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD");

    private final HighAvailabilityService ha;
    private final PlaneCache planes;
    private final boolean redirect;

    @Context
    private ResourceInfo resourceInfo;

    MasterOnlyFilter(HighAvailabilityService ha, PlaneCache planes, boolean redirect) {
        this.ha = ha;
        this.planes = planes;
        this.redirect = redirect;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (SAFE_METHODS.contains(request.getMethod())
                || "true".equalsIgnoreCase(request.getHeaderString(OVERRIDE_HEADER))
                || allowedInAnyState()
                || ha.isActingMaster()) {
            return;
        }
        // without its HA service the node cannot tell who the master is: 503 (starting), not 403
        HaServiceSlot.requireBound(ha);
        String problem = "this node is " + ha.getState() + ", not the acting master";
        if (redirect && !thisNodeOnly()) {
            URI location = masterLocation(request.getUriInfo().getRequestUri());
            if (location != null) {
                LOG.debug("Redirected {} {} to {}: {}", request.getMethod(), request.getUriInfo().getPath(), location,
                        problem);
                request.abortWith(ApiError.builder(Status.TEMPORARY_REDIRECT,
                        "Redirected to the master: " + location, problem)
                        .header(HttpHeaders.LOCATION, location.toString()).build());
                return;
            }
        }
        LOG.debug("Refused {} {}: {}", request.getMethod(), request.getUriInfo().getPath(), problem);
        request.abortWith(ApiError.response(Status.FORBIDDEN, MESSAGE + " (" + planes.masterHint() + ")",
                problem + "; send the request to the master, or set the header '" + OVERRIDE_HEADER
                        + ": true' to force it here"));
    }

    /** The request's path and query at the master's base URI; null if no other node is a master with a URI. */
    private URI masterLocation(URI requested) {
        NodeRecord master = planes.masterOrNull();
        if (master == null || master.nodeUri() == null || master.nodeId().equals(ha.getNodeId())) {
            return null;
        }
        try {
            URI base = URI.create(master.nodeUri());
            if (!("http".equals(base.getScheme()) || "https".equals(base.getScheme())) || base.getRawAuthority() == null) {
                return null;
            }
            String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
            String query = requested.getRawQuery() == null ? "" : "?" + requested.getRawQuery();
            return URI.create(base.getScheme() + "://" + base.getRawAuthority() + basePath + requested.getRawPath() + query);
        } catch (IllegalArgumentException badUri) {
            LOG.debug("Master {} has an unusable nodeUri '{}': {}", master.nodeId(), master.nodeUri(), badUri.getMessage());
            return null;
        }
    }

    private boolean thisNodeOnly() {
        Method method = resourceInfo.getResourceMethod();
        return method != null && method.isAnnotationPresent(ThisNodeOnly.class);
    }

    private boolean allowedInAnyState() {
        Method method = resourceInfo.getResourceMethod();
        return method != null && (method.isAnnotationPresent(AnyHaState.class)
                || resourceInfo.getResourceClass().isAnnotationPresent(AnyHaState.class));
    }
}
