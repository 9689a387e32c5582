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

    private static final Logger LOG = LoggerFactory.getLogger(HaRestComponent.class);

    @ObjectClassDefinition(name = "Tandem HA REST API",
            description = "Who may use the Brooklyn-compatible REST API at /v1 (HTTP Basic against a JAAS realm).")
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
    }

    private final RestEndpoint endpoint;
    private final ServiceRegistration<Servlet> registration;

    @Activate
    public HaRestComponent(BundleContext context, Config config,
            @Reference(name = "ha") HighAvailabilityService ha) {
        // A bad value throws here, naming the key: the component stays inactive until the configuration is fixed.
        AccessPolicy access = AccessPolicy.of(config.jaasRealm(), config.readRoles(), config.writeRoles());
        this.endpoint = new RestEndpoint(ha, access, null, List.of());
        try {
            this.registration = context.registerService(Servlet.class, endpoint.servlet(), whiteboardProperties());
        } catch (RuntimeException e) {
            endpoint.close();
            throw e;
        }
        LOG.info("Tandem REST API registered at {} (realm '{}', read roles {}, write roles {})",
                RestEndpoint.SERVLET_PATTERN, access.realm(), access.readRoles(), access.writeRoles());
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping and the framework has unregistered it already
        } finally {
            endpoint.close();
        }
    }

    static Hashtable<String, Object> whiteboardProperties() {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", RestEndpoint.SERVLET_PATTERN);
        props.put("osgi.http.whiteboard.servlet.name", PID);
        return props;
    }
}
