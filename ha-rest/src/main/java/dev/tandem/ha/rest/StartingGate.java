package dev.tandem.ha.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.http.pathmap.MappedResource;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the gap between the HTTP port opening and the REST servlet being mapped, when pax-web runs on Jetty: pax-web
 * starts Jetty first and maps whiteboard servlets afterwards, on its own threads (seconds on a loaded machine), and
 * in between Jetty would answer 404 for {@code /v1/...}. Registered as an OSGi service, pax-web adds this
 * {@link HttpConfiguration.Customizer} to Jetty's connectors (before they open, at boot); Jetty runs it before it
 * routes each request. Until the servlet named {@code servletName} is mapped and available in the root context, it
 * answers requests under {@code /v1} with 503 and the usual error JSON ("The node is starting", {@code Retry-After});
 * from the first time it finds the servlet, it lets every request through.
 */
final class StartingGate implements HttpConfiguration.Customizer {

    private static final Logger LOG = LoggerFactory.getLogger(StartingGate.class);
    private static final String PREFIX = "/v1";
    /** Any path the REST servlet serves: used to ask Jetty which servlet it maps there. */
    private static final String PROBE = PREFIX + "/server/ha/state";
    static final String BODY = "{\"message\":\"" + HaServiceAbsentException.STARTING + "\",\"details\":\"the REST API "
            + "is being mapped by the HTTP service; try again in a moment\",\"error\":503}";

    private final String servletName;
    private volatile boolean open;

    StartingGate(String servletName) {
        this.servletName = servletName;
    }

    /** True once the servlet has been found mapped: the gate no longer looks at requests. */
    boolean isOpen() {
        return open;
    }

    @Override
    public void customize(Connector connector, HttpConfiguration channelConfig, Request request) {
        if (open || !underPrefix(request.getRequestURI())) {
            return;
        }
        if (servletMapped(connector.getServer())) {
            open = true;
            LOG.debug("REST servlet {} mapped: requests go through", servletName);
            return;
        }
        try {
            HttpServletResponse response = request.getResponse();
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", Integer.toString(ExceptionMappers.NoHaService.RETRY_AFTER_SECONDS));
            response.setHeader("Cache-Control", "no-store");
            response.setContentType("application/json");
            byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        } catch (IOException e) {
            LOG.debug("Could not answer {} while the REST servlet is not mapped yet: {}", request.getRequestURI(),
                    e.toString());
        }
        request.setHandled(true);
    }

    private static boolean underPrefix(String uri) {
        return uri != null && (uri.equals(PREFIX) || uri.startsWith(PREFIX + "/"));
    }

    private boolean servletMapped(Server server) {
        if (server == null) {
            return false;
        }
        for (Handler h : server.getChildHandlersByClass(ServletContextHandler.class)) {
            ServletContextHandler context = (ServletContextHandler) h;
            if (!"/".equals(context.getContextPath()) && !"".equals(context.getContextPath())) {
                continue;
            }
            if (!context.isAvailable() || !context.isStarted() || context.getServletHandler() == null) {
                continue;
            }
            MappedResource<ServletHolder> mapped = context.getServletHandler().getMappedServlet(PROBE);
            if (mapped != null && servletName.equals(mapped.getResource().getName())) {
                return true;
            }
        }
        return false;
    }
}
