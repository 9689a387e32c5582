package dev.tandem.ha.rest;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.security.auth.login.Configuration;
import javax.servlet.Servlet;
import javax.servlet.ServletException;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.InvalidValueException;

/**
 * Publishes the REST API at {@code /v1} from the moment its bundle starts: builds the CXF server on activation and
 * registers a servlet with the OSGi HTTP Whiteboard (pax-web's {@code http-whiteboard} feature), so a stock Karaf
 * needs no CXF configuration. The servlet stays registered while the component is active: the HA service coming or
 * going changes what the API answers ({@code INITIALIZING} before it comes), and new extra resources or a
 * configuration change swap a new CXF server in behind the same servlet ({@link SwappingServlet}), so the path
 * never answers 404 while the node runs. Deactivation unregisters the servlet and shuts the server down.
 */
@Component(immediate = true, configurationPid = HaRestComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = HaRestComponent.Config.class)
public final class HaRestComponent {

    public static final String PID = "dev.tandem.ha.rest";
    /**
     * Other bundles add JAX-RS resources to the API at /v1 by registering them as services (of any class) with this
     * property set to true (ha-apps does, for Brooklyn's application API); the endpoint is rebuilt when they change,
     * and swapped in behind the same servlet.
     */
    public static final String RESOURCE_PROPERTY = "tandem.rest.resource";

    private static final Logger LOG = LoggerFactory.getLogger(HaRestComponent.class);
    /** The service class pax-web's Jetty bundle adds to its connectors (StartingGate). */
    static final String JETTY_CUSTOMIZER = "org.eclipse.jetty.server.HttpConfiguration$Customizer";

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

    private final HaServiceSlot ha = new HaServiceSlot();
    private final Object lock = new Object();
    /** Extra resources by service id (the order they came in); guarded by lock. */
    private final SortedMap<Long, Object> resources = new TreeMap<>();
    private final AtomicBoolean rebuildPending = new AtomicBoolean();
    private final Executor givenRebuilder;
    private final Configuration loginConfig;

    private ExecutorService ownRebuilder;
    private Executor rebuilder;
    private ServerEnvironment server;
    private RestSettings settings;
    private SwappingServlet servlet;
    private boolean active;
    private ServiceRegistration<Servlet> registration;
    private ServiceRegistration<Servlet> console;
    private ServiceRegistration<?> gate;

    /** For SCR: endpoint rebuilds run on a thread of the component's own. */
    public HaRestComponent() {
        this(null, null);
    }

    /**
     * For tests: rebuilds run on {@code rebuilder} (e.g. {@code Runnable::run}, at once on the caller's thread), and
     * logins are checked against {@code loginConfig} (null: the JVM's JAAS configuration, Karaf's realms).
     */
    HaRestComponent(Executor rebuilder, Configuration loginConfig) {
        this.givenRebuilder = rebuilder;
        this.loginConfig = loginConfig;
    }

    /**
     * The HA service, when there is one. The API is registered without it and answers {@code INITIALIZING} until it
     * comes (see {@link HaServiceSlot}); a new service replaces the old one behind the same servlet.
     */
    @Reference(name = "ha", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindHa(HighAvailabilityService service) {
        ha.bind(service);
    }

    void unbindHa(HighAvailabilityService service) {
        ha.unbind(service);
    }

    /** Another bundle's JAX-RS resource: the endpoint is rebuilt with it and swapped in behind the same servlet. */
    @Reference(name = "resources", service = Object.class, target = "(" + RESOURCE_PROPERTY + "=true)",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindResource(Object resource, Map<String, Object> properties) {
        synchronized (lock) {
            resources.put(serviceId(properties), resource);
        }
        scheduleRebuild();
    }

    void unbindResource(Object resource, Map<String, Object> properties) {
        synchronized (lock) {
            resources.remove(serviceId(properties), resource);
        }
        scheduleRebuild();
    }

    /**
     * Registers the servlet and the console at once and builds the CXF endpoint on the rebuild thread (a CXF bus takes
     * a while to build: not on the thread that starts the bundles, which would hold back the HA service's bundle).
     * Until the endpoint is built the servlet answers 503 "The node is starting". A bad value throws here, naming the
     * key: the component stays inactive until the configuration is fixed.
     */
    @Activate
    void activate(BundleContext context, Config config) {
        RestSettings first = settings(config);
        ServerEnvironment environment = new OsgiServerEnvironment(context);
        SwappingServlet api = new SwappingServlet();
        ServiceRegistration<?> gateRegistration = registerGate(context);
        ServiceRegistration<Servlet> apiRegistration = null;
        ServiceRegistration<Servlet> consoleRegistration;
        try {
            apiRegistration = context.registerService(Servlet.class, api, whiteboardProperties());
            consoleRegistration = context.registerService(Servlet.class, new ConsoleServlet(), consoleProperties());
        } catch (RuntimeException e) {
            unregister(apiRegistration);
            unregister(gateRegistration);
            api.close();
            throw e;
        }
        synchronized (lock) {
            this.server = environment;
            this.settings = first;
            this.servlet = api;
            this.registration = apiRegistration;
            this.console = consoleRegistration;
            this.gate = gateRegistration;
            if (givenRebuilder == null) {
                ownRebuilder = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "tandem-rest-rebuild");
                    t.setDaemon(true);
                    return t;
                });
                rebuilder = ownRebuilder;
            } else {
                rebuilder = givenRebuilder;
            }
            active = true;
        }
        AccessPolicy access = first.access();
        LOG.info("Tandem REST API registered at {} (realm '{}', read roles {}, write roles {}, redirect non-master "
                + "writes {}, anonymous health {}, HA service {}), console at {}", RestEndpoint.SERVLET_PATTERN,
                access.realm(), access.readRoles(), access.writeRoles(), first.redirectNonMasterWrites(),
                first.anonymousHealth(), ha.isBound() ? "bound" : "not there yet", ConsoleServlet.SERVLET_PATTERN);
        scheduleRebuild();
    }

    /**
     * A configuration change: applied by swapping in a new endpoint behind the same servlet. A bad value is refused
     * with a log line naming the key, and the previous configuration stays.
     */
    @Modified
    void modified(Config config) {
        RestSettings next;
        try {
            next = settings(config);
        } catch (InvalidValueException e) {
            LOG.error("Tandem REST: configuration change refused, keeping the previous configuration: {}",
                    e.getMessage());
            return;
        }
        synchronized (lock) {
            if (next.equals(settings)) {
                return;
            }
            settings = next;
        }
        LOG.info("Tandem REST: configuration changed (realm '{}', read roles {}, write roles {}, redirect non-master "
                + "writes {}, anonymous health {})", next.access().realm(), next.access().readRoles(),
                next.access().writeRoles(), next.redirectNonMasterWrites(), next.anonymousHealth());
        scheduleRebuild();
    }

    @Deactivate
    void deactivate() {
        ExecutorService own;
        synchronized (lock) {
            active = false;
            own = ownRebuilder;
        }
        try {
            unregister(console);
            unregister(registration);
            unregister(gate);
        } finally {
            if (own != null) {
                own.shutdown();
                awaitRebuilds(own);
            }
            servlet.close();
        }
    }

    /** The endpoint serving requests now (for tests). */
    RestEndpoint currentEndpoint() {
        synchronized (lock) {
            return servlet == null ? null : servlet.endpoint();
        }
    }

    private void scheduleRebuild() {
        Executor target;
        synchronized (lock) {
            if (!active || (servlet.endpoint() != null && server.shuttingDown())) {
                return; // activation builds with what is bound by then; Karaf stopping needs no new endpoint
            }
            target = rebuilder;
        }
        // changes that come while a rebuild waits to start are all in that rebuild
        if (rebuildPending.compareAndSet(false, true)) {
            try {
                target.execute(this::rebuild);
            } catch (RejectedExecutionException stopping) {
                rebuildPending.set(false);
            }
        }
    }

    private void rebuild() {
        rebuildPending.set(false);
        RestSettings s;
        List<Object> extra;
        ServerEnvironment environment;
        SwappingServlet target;
        synchronized (lock) {
            if (!active) {
                return;
            }
            s = settings;
            extra = List.copyOf(resources.values());
            environment = server;
            target = servlet;
        }
        try {
            target.swap(new RestEndpoint(ha, s, loginConfig, environment, extra));
            LOG.info("Tandem REST API built with {} extra resources, behind the same servlet", extra.size());
        } catch (ServletException | RuntimeException e) {
            LOG.error("Tandem REST: the API could not be built with {} extra resources; the previous endpoint (if any) "
                    + "keeps serving", extra.size(), e);
        }
    }

    private static void awaitRebuilds(ExecutorService executor) {
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Tandem REST: an endpoint rebuild did not finish within 30 s of deactivation");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * When the HTTP service runs on Jetty: a {@link StartingGate} that answers 503 instead of Jetty's 404 until pax-web
     * has mapped the servlet (null without Jetty: the optional import is not wired).
     */
    private static ServiceRegistration<?> registerGate(BundleContext context) {
        Object gate;
        try {
            gate = new StartingGate(PID);
        } catch (LinkageError noJetty) {
            LOG.debug("No Jetty API: the REST API is not gated until its servlet is mapped ({})", noJetty.toString());
            return null;
        }
        return context.registerService(JETTY_CUSTOMIZER, gate, null);
    }

    private static RestSettings settings(Config config) {
        AccessPolicy access = AccessPolicy.of(config.jaasRealm(), config.readRoles(), config.writeRoles());
        return RestSettings.of(access, config.redirectNonMasterWrites(), config.anonymousHealth(),
                config.authCacheTtl(), config.planeCacheTtl());
    }

    private static long serviceId(Map<String, Object> properties) {
        Object id = properties.get(Constants.SERVICE_ID);
        return id instanceof Number n ? n.longValue() : 0L;
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
