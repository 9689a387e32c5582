package dev.tandem.ha.rest;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Set;

import javax.servlet.ServletConfig;
import javax.servlet.ServletContext;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.apache.cxf.Bus;
import org.apache.cxf.transport.http.DestinationRegistry;
import org.apache.cxf.transport.servlet.CXFNonSpringServlet;

/**
 * CXF's servlet for one private bus and destination registry. The bus belongs to {@link RestEndpoint}, not to the
 * servlet: a servlet container may destroy and re-initialise the servlet (pax-web does when the HTTP service
 * restarts), and that must not shut the bus down. CXF's service list page is always hidden. A GET without a body is
 * handed to CXF as one of length zero ({@link BodylessRequest}). The reads that monitors poll are answered without CXF
 * when {@link HotReads} can.
 */
public final class RestServlet extends CXFNonSpringServlet {

    private static final long serialVersionUID = 1L;
    private static final String HIDE_SERVICE_LIST = "hide-service-list-page";

    private final transient HotReads hotReads;

    RestServlet(DestinationRegistry registry, Bus bus, HotReads hotReads) {
        super(registry, bus);
        this.hotReads = hotReads;
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(new HiddenServiceList(config));
    }

    @Override
    public void service(ServletRequest request, ServletResponse response) throws ServletException, IOException {
        if (request instanceof HttpServletRequest http
                && response instanceof HttpServletResponse answer && hotReads.answer(http, answer)) {
            return;
        }
        super.service(BodylessRequest.of(request), response);
    }

    @Override
    public void destroyBus() {
        // the bus is RestEndpoint's to shut down
    }

    private record HiddenServiceList(ServletConfig delegate) implements ServletConfig {
        @Override
        public String getServletName() {
            return delegate.getServletName();
        }

        @Override
        public ServletContext getServletContext() {
            return delegate.getServletContext();
        }

        @Override
        public String getInitParameter(String name) {
            return HIDE_SERVICE_LIST.equals(name) ? "true" : delegate.getInitParameter(name);
        }

        @Override
        public Enumeration<String> getInitParameterNames() {
            Set<String> names = new LinkedHashSet<>(Collections.list(delegate.getInitParameterNames()));
            names.add(HIDE_SERVICE_LIST);
            return Collections.enumeration(names);
        }
    }
}
