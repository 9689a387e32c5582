package dev.tandem.ha.rest;

import java.security.Principal;
import java.util.Set;
import java.util.TreeSet;

import javax.annotation.Priority;
import javax.security.auth.Subject;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.core.Response.Status;

import org.apache.cxf.jaxrs.utils.JAXRSUtils;
import org.apache.cxf.security.LoginSecurityContext;
import org.apache.cxf.security.SecurityContext;

/**
 * Lets a request through only if the authenticated user holds a role that may read (GET, HEAD, OPTIONS) or change
 * (any other method); otherwise 403. Roles are the names of the subject's principals whose class is called
 * {@code RolePrincipal}, as Karaf's login modules add them ({@code org.apache.karaf.jaas.boot.principal.RolePrincipal},
 * with a group's roles already expanded).
 */
@Priority(Priorities.AUTHORIZATION)
final class RoleFilter implements ContainerRequestFilter {

    static final String ROLE_PRINCIPAL_CLASS = "RolePrincipal";
    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final AccessPolicy policy;
    private final boolean anonymousHealth;

    RoleFilter(AccessPolicy policy, boolean anonymousHealth) {
        this.policy = policy;
        this.anonymousHealth = anonymousHealth;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (anonymousHealth && BasicAuthFilter.isHealthCheck(request) || BasicAuthFilter.isNotice(request)) {
            return;
        }
        SecurityContext security = JAXRSUtils.getCurrentMessage().get(SecurityContext.class);
        Subject subject = security instanceof LoginSecurityContext login ? login.getSubject() : null;
        Set<String> roles = rolesOf(subject);
        boolean write = !READ_METHODS.contains(request.getMethod());
        if (write ? policy.mayWrite(roles) : policy.mayRead(roles)) {
            return;
        }
        Principal user = security == null ? null : security.getUserPrincipal();
        request.abortWith(ApiError.response(Status.FORBIDDEN,
                "User '" + (user == null ? "?" : user.getName()) + "' is not permitted to "
                        + (write ? "change" : "read") + " this resource",
                "this needs one of the roles " + (write ? policy.writeRoles() : policy.readRoles())
                        + "; the user has " + roles));
    }

    static Set<String> rolesOf(Subject subject) {
        Set<String> roles = new TreeSet<>();
        if (subject != null) {
            for (Principal p : subject.getPrincipals()) {
                if (ROLE_PRINCIPAL_CLASS.equals(p.getClass().getSimpleName())) {
                    roles.add(p.getName());
                }
            }
        }
        return roles;
    }
}
