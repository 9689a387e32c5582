package dev.tandem.ha.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.security.auth.login.Configuration;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.apache.cxf.transport.http.DestinationRegistry;
import org.apache.cxf.transport.http.DestinationRegistryImpl;
import org.apache.cxf.transport.http.HTTPTransportFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.jaxrs.json.JacksonJsonProvider;

import dev.tandem.ha.api.HighAvailabilityService;

/**
 * The REST API as a CXF JAX-RS server on a private bus, with a private destination registry served only by
 * {@link #servlet()}. The registry is not CXF's shared one, so the API appears only where the servlet is mounted
 * ({@code /v1/*}), never under CXF's own {@code /cxf} servlet. Closing it destroys the server and shuts the bus
 * down.
 */
public final class RestEndpoint implements AutoCloseable {

    /** Where the servlet is mounted: Brooklyn's REST root. */
    public static final String SERVLET_PATTERN = "/v1/*";

    private final Bus bus;
    private final Server server;
    private final RestServlet servlet;
    private final LoginCache logins;
    private final HotReads hotReads;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param loginConfig     the JAAS configuration, or null for the JVM's (in Karaf, Karaf's realms)
     * @param server          the server the API runs in (its version, start-up, shutdown)
     * @param extraResources  JAX-RS resources to serve beside {@link ServerResource}
     */
    public RestEndpoint(HighAvailabilityService ha, RestSettings settings, Configuration loginConfig,
            ServerEnvironment server, List<?> extraResources) {
        this.logins = new LoginCache(settings.authCacheTtl(), LoginCache.DEFAULT_MAX_ENTRIES, System::nanoTime);
        PlaneCache planes = new PlaneCache(ha, settings.planeCacheTtl(), System::nanoTime);
        List<Object> resources = new ArrayList<>();
        ServerResource serverResource = new ServerResource(ha, planes, server);
        resources.add(serverResource);
        resources.addAll(extraResources);

        AccessPolicy access = settings.access();
        ObjectMapper mapper = new ObjectMapper();
        List<Object> providers = new ArrayList<>();
        providers.add(json(mapper));
        providers.add(new BasicAuthFilter(access.realm(), loginConfig, logins, settings.anonymousHealth()));
        providers.add(new RoleFilter(access, settings.anonymousHealth()));
        providers.add(new MasterOnlyFilter(ha, planes, settings.redirectNonMasterWrites()));
        providers.addAll(ExceptionMappers.all());

        Thread thread = Thread.currentThread();
        ClassLoader previousLoader = thread.getContextClassLoader();
        Bus previousThreadBus = BusFactory.getThreadDefaultBus(false);
        Bus previousDefaultBus = BusFactory.getDefaultBus(false);
        // CXF finds its extensions through the TCCL: make it CXF's own, not whatever the caller (SCR) has.
        thread.setContextClassLoader(JAXRSServerFactoryBean.class.getClassLoader());
        Bus newBus = BusFactory.newInstance().createBus();
        // only our Jackson provider writes JSON: CXF's default (Jettison) one would only be asked and refuse
        newBus.setProperty("skip.default.json.provider.registration", true);
        // CXF sets this loader as the TCCL of every request; without it, each request looks the loader up through the
        // bus's resource resolvers: a failed bundle resource lookup (an exception with its stack trace) and a scan of
        // the JVM's class path, per request
        newBus.setExtension(JAXRSServerFactoryBean.class.getClassLoader(), ClassLoader.class);
        try {
            DestinationRegistry registry = new DestinationRegistryImpl();
            JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
            factory.setBus(newBus);
            factory.setAddress("/");
            factory.setDestinationFactory(new HTTPTransportFactory(registry));
            factory.setServiceBeans(resources);
            factory.setProviders(providers);
            this.server = factory.create();
            this.hotReads = new HotReads(serverResource, logins, access, mapper);
            this.servlet = new RestServlet(registry, newBus, hotReads);
            this.bus = newBus;
        } catch (RuntimeException | Error e) {
            newBus.shutdown(true);
            throw e;
        } finally {
            // createBus() makes the new bus the thread's (and, if there is none, the JVM's) default: undo that.
            BusFactory.setThreadDefaultBus(previousThreadBus);
            if (previousDefaultBus == null && BusFactory.getDefaultBus(false) == newBus) {
                BusFactory.setDefaultBus(null);
            }
            thread.setContextClassLoader(previousLoader);
        }
    }

    /** The servlet to mount at {@link #SERVLET_PATTERN}. */
    public RestServlet servlet() {
        return servlet;
    }

    /** How many users' logins are remembered now (for tests). */
    int cachedLogins() {
        return logins.size();
    }

    /** How many requests {@link HotReads} has answered without CXF (for tests). */
    long hotAnswers() {
        return hotReads.answered();
    }

    /** True once {@link #close()} has been called. */
    boolean isClosed() {
        return closed.get();
    }

    /** Destroys the server and shuts its bus down; later calls do nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.destroy();
        } finally {
            bus.shutdown(true);
        }
    }

    private static JacksonJsonProvider json(ObjectMapper mapper) {
        JacksonJsonProvider provider = new JacksonJsonProvider(mapper);
        // Brooklyn answers plain strings (plane id, ...) as JSON strings, not as raw text.
        provider.removeUntouchable(String.class);
        return provider;
    }
}
