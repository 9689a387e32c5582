package dev.tandem.ha.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.servlet.Servlet;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

import dev.tandem.ha.api.ManagementNodeState;

/**
 * The component as Karaf runs it, over real HTTP: the servlet it registers is mounted at {@code /v1/*} of an embedded
 * Jetty, and a client polls {@code GET /v1/server/ha/state} all along while the HA service comes and goes, resources
 * come and go and the configuration changes (each change swapped in on the component's own rebuild thread). No
 * answer may be anything but 200.
 */
class HaRestComponentHttpTest {

    /** An extra resource, as ha-apps registers them. */
    @Path("/extra")
    public static class ExtraResource {
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        public String hello() {
            return "extra";
        }
    }

    private final FakeHighAvailabilityService ha = new FakeHighAvailabilityService();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Servlet> registered = new ArrayList<>();
    private final HaRestComponent component = new HaRestComponent(null,
            TestLoginModule.configuration("karaf", HttpHarness.USERS));
    private Server jetty;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        component.activate(context(), config());
        await("the first endpoint is built").atMost(Duration.ofSeconds(30))
                .until(() -> component.currentEndpoint() != null);
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.addServlet(new ServletHolder(registered.get(0)), RestEndpoint.SERVLET_PATTERN);
        jetty.setHandler(context);
        jetty.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            jetty.stop();
        } finally {
            component.deactivate();
        }
    }

    @Test
    void untilItsFirstEndpointIsBuiltTheServletSaysTheNodeIsStarting() throws Exception {
        HaRestComponent later = new HaRestComponent(task -> { }, null); // never builds
        later.activate(context(), config());
        try {
            SwappingServlet api = (SwappingServlet) registered.get(registered.size() - 2);
            assertThat(api.endpoint()).isNull();
            org.eclipse.jetty.server.Server other = new org.eclipse.jetty.server.Server();
            ServerConnector connector = new ServerConnector(other);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            other.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
            context.addServlet(new ServletHolder(api), RestEndpoint.SERVLET_PATTERN);
            other.setHandler(context);
            other.start();
            try {
                HttpResponse<String> r = client.send(HttpHarness.requestTo(
                        URI.create("http://127.0.0.1:" + connector.getLocalPort()), "/v1/server/ha/state", "viewer")
                        .GET().build(), BodyHandlers.ofString());
                assertThat(HttpHarness.assertError(r, 503).get("message").asText()).isEqualTo("The node is starting");
                assertThat(r.headers().firstValue("Retry-After")).contains("1");
            } finally {
                other.stop();
            }
        } finally {
            later.deactivate();
        }
    }

    @Test
    void theStateAnswersAllAlongWhileTheHaServiceAndResourcesComeAndGo() throws Exception {
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                try {
                    HttpResponse<String> r = get("/v1/server/ha/state");
                    answers.computeIfAbsent(r.statusCode() + " " + r.body(), k -> new AtomicInteger()).incrementAndGet();
                } catch (Exception e) {
                    answers.computeIfAbsent(e.toString(), k -> new AtomicInteger()).incrementAndGet();
                }
            }
        }, "state-sampler");
        sampler.start();
        try {
            awaitState("\"INITIALIZING\"");
            component.bindHa(ha);
            awaitState("\"MASTER\"");

            ExtraResource extra = new ExtraResource();
            component.bindResource(extra, Map.of(Constants.SERVICE_ID, 42L));
            await("the extra resource is served").atMost(Duration.ofSeconds(30))
                    .until(() -> get("/v1/extra").statusCode() == 200);
            component.modified(config("redirectNonMasterWrites", true));
            component.unbindResource(extra, Map.of(Constants.SERVICE_ID, 42L));
            await("the extra resource is gone").atMost(Duration.ofSeconds(30))
                    .until(() -> get("/v1/extra").statusCode() == 404);

            ha.state = ManagementNodeState.HOT_STANDBY;
            awaitState("\"HOT_STANDBY\"");
            component.unbindHa(ha);
            awaitState("\"TERMINATED\"");
        } finally {
            sampling.set(false);
            sampler.join();
        }
        System.out.println("[rest-swap] answers to GET /v1/server/ha/state: " + answers);
        // before its first endpoint is built (on the rebuild thread), the servlet says the node is starting
        assertThat(answers.keySet()).as("every answer while the API changed")
                .allSatisfy(answer -> assertThat(answer).satisfiesAnyOf(
                        a -> assertThat(a).startsWith("200 "),
                        a -> assertThat(a).startsWith("503 ").contains("The node is starting")));
        assertThat(answers.keySet()).contains("200 \"INITIALIZING\"", "200 \"MASTER\"", "200 \"TERMINATED\"");
    }

    @Test
    void aReplacedEndpointIsClosedAndTheNewOneKeepsTheCredentialsCheck() throws Exception {
        RestEndpoint first = component.currentEndpoint();
        component.modified(config("anonymousHealth", true));
        await("the new settings are swapped in").atMost(Duration.ofSeconds(30))
                .until(() -> component.currentEndpoint() != first);
        await("the old endpoint is closed").atMost(Duration.ofSeconds(30)).until(first::isClosed);

        HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(base.resolve("/v1/server/ha/state"))
                .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
        HttpHarness.assertError(anonymous, 401);
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(base.resolve("/v1/server/ha/health"))
                .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
        assertThat(health.statusCode()).as("anonymous health, unhealthy while starting").isEqualTo(503);
        assertThat(health.body()).isEqualTo("{\"role\":\"unhealthy\"}");
    }

    private void awaitState(String body) {
        await("state " + body).atMost(Duration.ofSeconds(30)).until(() -> get("/v1/server/ha/state").body().equals(body));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpHarness.requestTo(base, path, "viewer").GET().build(), BodyHandlers.ofString());
    }

    private static HaRestComponent.Config config(Object... keyValues) {
        Map<String, Object> values = new java.util.HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        return (HaRestComponent.Config) Proxy.newProxyInstance(HaRestComponentHttpTest.class.getClassLoader(),
                new Class<?>[] {HaRestComponent.Config.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
    }

    private org.osgi.framework.Bundle systemBundle() {
        return (org.osgi.framework.Bundle) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {org.osgi.framework.Bundle.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getState")) {
                        return org.osgi.framework.Bundle.ACTIVE;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private BundleContext context() {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("unregister")) {
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getBundle") && args != null && args.length == 1) {
                        return systemBundle(); // running, not stopping
                    }
                    if (method.getName().equals("registerService") && args[0] == Servlet.class) {
                        registered.add((Servlet) args[1]);
                        return registration;
                    }
                    if (method.getName().equals("registerService") && HaRestComponent.JETTY_CUSTOMIZER.equals(args[0])) {
                        return registration;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
