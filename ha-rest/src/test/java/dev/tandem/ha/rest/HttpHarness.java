package dev.tandem.ha.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tandem.ha.api.HighAvailabilityService;

/**
 * The REST endpoint and the console mounted as in Karaf ({@code /v1/*} and {@code /}) on an embedded Jetty 9.4 on a
 * free loopback port, with a JAAS realm {@code karaf} backed by {@link TestLoginModule}. Every user's password is
 * {@code secret}.
 */
final class HttpHarness implements AutoCloseable {

    static final String USERS = "admin=secret,admin;viewer=secret,viewer;manager=secret,manager;nobody=secret,";
    static final ObjectMapper JSON = new ObjectMapper();

    final RestEndpoint endpoint;
    /** What is mounted at /v1/*, as in Karaf: serves {@link #endpoint} until something else is swapped in. */
    final SwappingServlet api;
    final FakeServerEnvironment server = new FakeServerEnvironment();
    final URI base;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Server jetty;

    HttpHarness(HighAvailabilityService ha, RestSettings settings) throws Exception {
        this(ha, settings, List.of());
    }

    /** With extra JAX-RS resources served next to the API (tests that need their own endpoints). */
    HttpHarness(HighAvailabilityService ha, RestSettings settings, List<?> extraResources) throws Exception {
        endpoint = newEndpoint(ha, settings, extraResources);
        api = new SwappingServlet(endpoint);
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.addServlet(new ServletHolder(api), RestEndpoint.SERVLET_PATTERN);
        context.addServlet(new ServletHolder(new ConsoleServlet()), ConsoleServlet.SERVLET_PATTERN);
        jetty.setHandler(context);
        try {
            jetty.start();
        } catch (Exception e) {
            api.close();
            throw e;
        }
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @Override
    public void close() throws Exception {
        try {
            jetty.stop();
        } finally {
            api.close();
        }
    }

    /** An endpoint as this harness builds them (the test realm, this harness's server environment). */
    RestEndpoint newEndpoint(HighAvailabilityService ha, RestSettings settings, List<?> extraResources) {
        return new RestEndpoint(ha, settings, TestLoginModule.configuration("karaf", USERS), server, extraResources);
    }

    HttpResponse<String> send(String method, String path, String user) throws Exception {
        return client.send(request(path, user).method(method, BodyPublishers.noBody()).build(), BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String user, String form) throws Exception {
        return client.send(request(path, user).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString(form)).build(), BodyHandlers.ofString());
    }

    HttpRequest.Builder request(String path, String user) {
        return requestTo(base, path, user);
    }

    /** A request to {@code base + path}, with the user's credentials (password {@code secret}) unless null. */
    static HttpRequest.Builder requestTo(URI base, String path, String user) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
        if (user != null) {
            b.header("Authorization", basic(user, "secret"));
        }
        return b;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode assertError(HttpResponse<String> r, int status) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode error = JSON.readTree(r.body());
        assertThat(fieldNames(error)).containsExactly("message", "details", "error");
        assertThat(error.get("error").asInt()).isEqualTo(status);
        return error;
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
