package dev.tandem.ha.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The gate on a Jetty whose connector opened before the REST servlet was mapped, as pax-web starts Jetty: 503 with
 * the error JSON under /v1 until the servlet is there, then out of the way.
 */
class StartingGateHttpTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void answers503UnderV1UntilTheServletIsMappedThenLetsEverythingThrough() throws Exception {
        StartingGate gate = new StartingGate(HaRestComponent.PID);
        HttpConfiguration config = new HttpConfiguration();
        config.addCustomizer(gate);
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler root = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        root.setContextPath("/");
        root.addServlet(new ServletHolder("other", new Answer("other")), "/other/*");
        jetty.setHandler(root);
        jetty.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
            HttpResponse<String> starting = get(base, "/v1/server/ha/state");
            JsonNode error = HttpHarness.assertError(starting, 503);
            assertThat(error.get("message").asText()).isEqualTo("The node is starting");
            assertThat(starting.headers().firstValue("Retry-After")).contains("1");
            assertThat(get(base, "/v1").statusCode()).isEqualTo(503);
            assertThat(get(base, "/v10/x").statusCode()).as("not under /v1").isEqualTo(404);
            assertThat(get(base, "/other/x").body()).isEqualTo("other");
            assertThat(gate.isOpen()).isFalse();

            ServletHolder rest = new ServletHolder(HaRestComponent.PID, new Answer("rest"));
            root.getServletHandler().addServletWithMapping(rest, RestEndpoint.SERVLET_PATTERN);
            assertThat(get(base, "/v1/server/ha/state").body()).isEqualTo("rest");
            assertThat(gate.isOpen()).isTrue();
            assertThat(get(base, "/v1/anything").body()).isEqualTo("rest");
        } finally {
            jetty.stop();
        }
    }

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                BodyHandlers.ofString());
    }

    /** Answers its text to everything. */
    private static final class Answer extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final String text;

        Answer(String text) {
            this.text = text;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws java.io.IOException {
            resp.getWriter().write(text);
        }
    }
}
