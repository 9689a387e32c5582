package dev.tandem.ha.rest;

import javax.security.auth.login.Configuration;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.Response.Status;

import org.apache.cxf.configuration.security.AuthorizationPolicy;
import org.apache.cxf.jaxrs.security.JAASAuthenticationFilter;
import org.apache.cxf.jaxrs.utils.JAXRSUtils;
import org.apache.cxf.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP Basic authentication against a JAAS realm (Karaf's {@code karaf} realm by default). Runs before resource
 * matching, so nothing about the API is revealed without valid credentials. Every refusal is a 401 with
 * {@code WWW-Authenticate: Basic realm="..."} and an {@link ApiError} body.
 */
final class BasicAuthFilter extends JAASAuthenticationFilter {

    private static final Logger LOG = LoggerFactory.getLogger(BasicAuthFilter.class);

    private final String realm;

    /** @param loginConfig the JAAS configuration to use, or null for the JVM's (Karaf installs its own) */
    BasicAuthFilter(String realm, Configuration loginConfig) {
        this.realm = realm;
        setContextName(realm);
        setRealmName(realm);
        if (loginConfig != null) {
            setLoginConfig(loginConfig);
        }
    }

    @Override
    public void filter(ContainerRequestContext context) {
        // CXF's JAAS interceptor lets a request without credentials through to the login modules ("anonymous");
        // answer it here instead, so no login module ever sees a null user.
        AuthorizationPolicy credentials = JAXRSUtils.getCurrentMessage().get(AuthorizationPolicy.class);
        if (credentials == null || credentials.getUserName() == null
                || !"Basic".equalsIgnoreCase(credentials.getAuthorizationType())) {
            context.abortWith(unauthorized("Authentication required",
                    "send HTTP Basic credentials of a user of the JAAS realm '" + realm + "'"));
            return;
        }
        super.filter(context);
    }

    @Override
    protected Response handleAuthenticationException(SecurityException ex, Message message) {
        AuthorizationPolicy credentials = message.get(AuthorizationPolicy.class);
        LOG.debug("Refused HTTP Basic login of user '{}' in realm '{}': {}",
                credentials == null ? null : credentials.getUserName(), realm, ex.getMessage());
        return unauthorized("Authentication failed", "wrong user name or password for the JAAS realm '" + realm + "'");
    }

    private Response unauthorized(String message, String details) {
        return ApiError.builder(Status.UNAUTHORIZED, message, details)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + realm + "\"")
                .build();
    }
}
