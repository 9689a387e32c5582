package dev.tandem.ha.rest;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.servlet.Servlet;
import javax.servlet.ServletConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servlet registered at {@code /v1/*} for as long as the REST component is active: it serves every request with
 * the current {@link RestEndpoint}, and {@link #swap} replaces that endpoint (new resources, new settings) without
 * unregistering anything, so no request ever finds the path unmapped. A replaced endpoint finishes the requests it
 * has begun and is closed when the last of them ends. Until the first endpoint is there, requests are answered 503
 * "The node is starting" (building it takes a CXF bus: it is not done on the thread that starts the bundles).
 */
final class SwappingServlet implements Servlet {

    private static final Logger LOG = LoggerFactory.getLogger(SwappingServlet.class);

    /** One endpoint and the requests it is serving. */
    private static final class Generation {
        final RestEndpoint endpoint;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile boolean retired;

        Generation(RestEndpoint endpoint) {
            this.endpoint = endpoint;
        }

        /** Marks it replaced; closes it now if no request is in it, else when the last one leaves. */
        void retire() {
            retired = true;
            if (inFlight.get() == 0) {
                close();
            }
        }

        void leave() {
            if (inFlight.decrementAndGet() == 0 && retired) {
                close();
            }
        }

        private void close() {
            if (closed.compareAndSet(false, true)) {
                try {
                    endpoint.servlet().destroy();
                } finally {
                    endpoint.close();
                }
            }
        }
    }

    /** The answer to a request that arrives after {@link #close()}, before the container has unmapped the path. */
    static final String STOPPING_JSON = "{\"message\":\"The REST API is stopping\",\"details\":\"Karaf is stopping "
            + "Tandem's REST component; try again once it is back\",\"error\":503}";

    /** The answer to a request that arrives before the first endpoint has been built. */
    static final String STARTING_JSON = "{\"message\":\"" + HaServiceAbsentException.STARTING + "\",\"details\":\"the REST "
            + "API is being built; try again in a moment\",\"error\":503}";

    private final Object lock = new Object();
    private volatile Generation current;
    private volatile boolean closed;
    /** The container's configuration while it has initialised this servlet (guarded by lock). */
    private ServletConfig config;

    /** Serving {@code first} from the start. */
    SwappingServlet(RestEndpoint first) {
        this.current = new Generation(first);
    }

    /** Answering 503 "The node is starting" until the first {@link #swap}. */
    SwappingServlet() {
        this.current = null;
    }

    /** The endpoint serving new requests now. */
    RestEndpoint endpoint() {
        Generation g = current;
        return g == null ? null : g.endpoint;
    }

    /**
     * Serves new requests with {@code next} from now on (initialised with the container's configuration first, if
     * the container has initialised this servlet); the previous endpoint is closed once its requests have ended.
     *
     * @throws ServletException if {@code next} cannot be initialised: it is closed and the previous one stays
     */
    void swap(RestEndpoint next) throws ServletException {
        Generation old;
        synchronized (lock) {
            if (closed) {
                next.close();
                throw new IllegalStateException("the REST servlet has been closed");
            }
            if (config != null) {
                try {
                    next.servlet().init(config);
                } catch (ServletException | RuntimeException e) {
                    next.close();
                    throw e;
                }
            }
            old = current;
            current = new Generation(next);
        }
        if (old != null) {
            old.retire();
        }
    }

    /** Closes the current endpoint (after its requests end); later requests are answered 503 "stopping". */
    void close() {
        Generation old;
        synchronized (lock) {
            closed = true;
            old = current;
            current = null;
        }
        if (old != null) {
            old.retire();
        }
    }

    @Override
    public void init(ServletConfig servletConfig) throws ServletException {
        synchronized (lock) {
            this.config = servletConfig;
            if (current != null) {
                current.endpoint.servlet().init(servletConfig);
            }
        }
    }

    @Override
    public void service(ServletRequest request, ServletResponse response) throws ServletException, IOException {
        while (true) {
            Generation g = current;
            if (g == null) {
                unavailable((HttpServletResponse) response);
                return;
            }
            g.inFlight.incrementAndGet();
            if (g.retired) {
                g.leave(); // replaced just now: serve it with the new one
                continue;
            }
            try {
                g.endpoint.servlet().service(request, response);
                return;
            } finally {
                g.leave();
            }
        }
    }

    /**
     * The container is done with this servlet (it may initialise it again, as pax-web does when the HTTP service
     * restarts). The endpoint stays usable: CXF's servlet cannot serve again once destroyed, so it is destroyed only
     * with its endpoint, when that is replaced or closed.
     */
    @Override
    public void destroy() {
        synchronized (lock) {
            this.config = null;
        }
        LOG.debug("REST servlet destroyed by the container");
    }

    private void unavailable(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        if (!closed) {
            response.setHeader("Retry-After", Integer.toString(ExceptionMappers.NoHaService.RETRY_AFTER_SECONDS));
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(closed ? STOPPING_JSON : STARTING_JSON);
    }

    @Override
    public ServletConfig getServletConfig() {
        synchronized (lock) {
            return config;
        }
    }

    @Override
    public String getServletInfo() {
        return "Tandem REST API";
    }
}
