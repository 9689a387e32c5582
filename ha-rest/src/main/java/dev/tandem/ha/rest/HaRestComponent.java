package dev.tandem.ha.rest;

import java.util.Hashtable;
import java.util.List;

import javax.servlet.Servlet;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.HighAvailabilityService;

/**
 * Publishes the REST API at {@code /v1} while the HA service is there: builds the CXF server on activation and
 * registers its servlet with the OSGi HTTP Whiteboard (pax-web's {@code http-whiteboard} feature), so a stock Karaf
 * needs no CXF configuration. Deactivation unregisters the servlet and shuts the server down.
 */
@Component(immediate = true, configurationPid = HaRestComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = HaRestComponent.Config.class)
public final class HaRestComponent {

    public static final String PID = "dev.tandem.ha.rest";
    /**
     * Other bundles add JAX-RS resources to the API at /v1 by registering them as services (of any class) with this
     * property set to true (ha-apps does, for Brooklyn's application API); the endpoint is rebuilt when they change.
     */
    public static final String RESOURCE_PROPERTY = "tandem.rest.resource";

    private static final Logger LOG = LoggerFactory.getLogger(HaRestComponent.class);

    @ObjectClassDefinition(name = "Tandem HA REST API and web console",
            description = "The Brooklyn-compatible REST API at /v1 (HTTP Basic against a JAAS realm) and the console at /.")
    public @interface Config {
        @AttributeDefinition(name = "JAAS realm",
                description = "JAAS realm that checks HTTP Basic credentials; Karaf's 'karaf' realm reads etc/users.properties.")
        String jaasRealm() default "karaf";

        @AttributeDefinition(name = "Read roles",
                description = "Roles allowed to read (GET, HEAD), comma-separated. Write roles may read too.")
        String[] readRoles() default {"viewer", "manager", "admin"};

        @AttributeDefinition(name = "Write roles",
                description = "Roles allowed to change things (POST and other methods), comma-separated.")
        String[] writeRoles() default {"admin"};

        @AttributeDefinition(name = "Redirect non-master writes",
                description = "true: a change sent to a node that is not the master is answered 307 with Location on "
                        + "the same path at the master's nodeUri (when known), instead of 403.")
        boolean redirectNonMasterWrites() default false;

        @AttributeDefinition(name = "Anonymous health check",
                description = "true: GET /v1/server/ha/health answers without credentials (for load balancers that "
                        + "cannot send any). Its status code tells the role; its body is only {\"role\": ...}.")
        boolean anonymousHealth() default false;

        @AttributeDefinition(name = "Login cache time",
                description = "How long a successful login is reused for the same user and password (a duration: "
                        + "500ms, 5s; at most 5m). A changed password or removed user takes effect within it. 0 = off.")
        String authCacheTtl() default "5s";

        @AttributeDefinition(name = "Plane view cache time",
                description = "How long a view of the plane read from the store serves GET /v1/server/ha/states (a "
                        + "duration; at most 5m): bounds the store reads that polling clients cause. 0 = off.")
        String planeCacheTtl() default "500ms";
    }

    private final RestEndpoint endpoint;
    private final ServiceRegistration<Servlet> registration;
    private final ServiceRegistration<Servlet> console;

    @Activate
    public HaRestComponent(BundleContext context, Config config,
            @Reference(name = "ha") HighAvailabilityService ha,
            @Reference(name = "resources", service = Object.class, target = "(" + RESOURCE_PROPERTY + "=true)",
                    cardinality = ReferenceCardinality.MULTIPLE, policyOption = ReferencePolicyOption.GREEDY)
            List<Object> extraResources) {
        // A bad value throws here, naming the key: the component stays inactive until the configuration is fixed.
        AccessPolicy access = AccessPolicy.of(config.jaasRealm(), config.readRoles(), config.writeRoles());
        RestSettings settings = RestSettings.of(access, config.redirectNonMasterWrites(), config.anonymousHealth(),
                config.authCacheTtl(), config.planeCacheTtl());
        this.endpoint = new RestEndpoint(ha, settings, null, new OsgiServerEnvironment(context), extraResources);
        ServiceRegistration<Servlet> api = null;
        try {
            api = context.registerService(Servlet.class, endpoint.servlet(), whiteboardProperties());
            this.console = context.registerService(Servlet.class, new ConsoleServlet(), consoleProperties());
        } catch (RuntimeException e) {
            unregister(api);
            endpoint.close();
            throw e;
        }
        this.registration = api;
        LOG.info("Tandem REST API registered at {} (realm '{}', read roles {}, write roles {}, redirect non-master "
                + "writes {}, anonymous health {}), console at {}", RestEndpoint.SERVLET_PATTERN, access.realm(),
                access.readRoles(), access.writeRoles(), settings.redirectNonMasterWrites(), settings.anonymousHealth(),
                ConsoleServlet.SERVLET_PATTERN);
    }

    @Deactivate
    void deactivate() {
        try {
            unregister(console);
            unregister(registration);
        } finally {
            endpoint.close();
        }
    }

    private static void unregister(ServiceRegistration<?> r) {
        if (r == null) {
            return;
        }
        try {
            r.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping and the framework has unregistered it already
        }
    }

    static Hashtable<String, Object> whiteboardProperties() {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", RestEndpoint.SERVLET_PATTERN);
        props.put("osgi.http.whiteboard.servlet.name", PID);
        return props;
    }

    static Hashtable<String, Object> consoleProperties() {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", ConsoleServlet.SERVLET_PATTERN);
        props.put("osgi.http.whiteboard.servlet.name", PID + ".console");
        return props;
    }
}
