package dev.tandem.ha.rest;

import javax.annotation.Priority;
import javax.security.auth.Subject;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.Response.Status;

import org.apache.cxf.configuration.security.AuthorizationPolicy;
import org.apache.cxf.interceptor.security.DefaultSecurityContext;
import org.apache.cxf.interceptor.security.NamePasswordCallbackHandler;
import org.apache.cxf.jaxrs.utils.JAXRSUtils;
import org.apache.cxf.message.Message;
import org.apache.cxf.security.SecurityContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP Basic authentication against a JAAS realm (Karaf's {@code karaf} realm by default). Runs before resource
 * matching, so nothing about the API is revealed without valid credentials. Every refusal is a 401 with
 * {@code WWW-Authenticate: Basic realm="..."} and an {@link ApiError} body. Successful logins are reused for a short
 * time through a {@link LoginCache}. No HTTP session is ever made.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
final class BasicAuthFilter implements ContainerRequestFilter {

    /** The path (relative to /v1) that {@link RestSettings#anonymousHealth()} opens to anyone. */
    static final String HEALTH_PATH = "server/ha/health";

    private static final Logger LOG = LoggerFactory.getLogger(BasicAuthFilter.class);

    private final String realm;
    private final Configuration loginConfig;
    private final LoginCache cache;
    private final boolean anonymousHealth;

    /** @param loginConfig the JAAS configuration to use, or null for the JVM's (Karaf installs its own) */
    BasicAuthFilter(String realm, Configuration loginConfig, LoginCache cache, boolean anonymousHealth) {
        this.realm = realm;
        this.loginConfig = loginConfig;
        this.cache = cache;
        this.anonymousHealth = anonymousHealth;
    }

    @Override
    public void filter(ContainerRequestContext context) {
        Message message = JAXRSUtils.getCurrentMessage();
        if (anonymousHealth && isHealthCheck(context) || isNotice(context)) {
            return;
        }
        AuthorizationPolicy credentials = message.get(AuthorizationPolicy.class);
        if (credentials == null || credentials.getUserName() == null
                || !"Basic".equalsIgnoreCase(credentials.getAuthorizationType())) {
            context.abortWith(unauthorized("Authentication required",
                    "send HTTP Basic credentials of a user of the JAAS realm '" + realm + "'"));
            return;
        }
        String user = credentials.getUserName();
        String password = credentials.getPassword() == null ? "" : credentials.getPassword();
        Subject subject = cache.find(user, password);
        if (subject == null) {
            try {
                LoginContext login = new LoginContext(realm, null, new NamePasswordCallbackHandler(user, password),
                        loginConfig);
                login.login();
                subject = login.getSubject();
            } catch (LoginException | SecurityException e) {
                LOG.debug("Refused HTTP Basic login of user '{}' in realm '{}': {}", user, realm, e.getMessage());
                context.abortWith(unauthorized("Authentication failed",
                        "wrong user name or password for the JAAS realm '" + realm + "'"));
                return;
            }
            cache.put(user, password, subject);
        }
        message.put(SecurityContext.class, new DefaultSecurityContext(user, subject));
    }

    /** The path (relative to /v1) of the notice another node sends when it releases mastership: open to anyone. */
    static final String NOTICE_PATH = "server/ha/notice";

    /** A release notice: it only makes this node read the store now (rate-limited), so it needs no credentials. */
    static boolean isNotice(ContainerRequestContext context) {
        String path = context.getUriInfo().getPath();
        return "POST".equals(context.getMethod()) && (NOTICE_PATH.equals(path) || ("/" + NOTICE_PATH).equals(path));
    }

    static boolean isHealthCheck(ContainerRequestContext context) {
        String path = context.getUriInfo().getPath();
        String method = context.getMethod();
        return ("GET".equals(method) || "HEAD".equals(method))
                && (HEALTH_PATH.equals(path) || ("/" + HEALTH_PATH).equals(path));
    }

    private Response unauthorized(String message, String details) {
        return ApiError.builder(Status.UNAUTHORIZED, message, details)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + realm + "\"")
                .build();
    }
}
