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

import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.ManagementNodeState;

/**
 * The API over real HTTP, mounted as in Karaf: the endpoint's servlet at {@code /v1/*} of an embedded Jetty 9.4 on
 * a free loopback port, with a JAAS realm {@code karaf} backed by {@link TestLoginModule}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestEndpointHttpTest {

    private static final String USERS = "admin=secret,admin;viewer=secret,viewer;manager=secret,manager;nobody=secret,";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A resource that changes something and is not exempt from the master-only rule. */
    @Path("/test")
    public static class ChangeResource {
        @POST
        @Path("/change")
        @Produces(MediaType.APPLICATION_JSON)
        public boolean change() {
            return true;
        }
    }

    private final FakeHighAvailabilityService ha = new FakeHighAvailabilityService();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private RestEndpoint endpoint;
    private Server jetty;
    private URI base;

    @BeforeAll
    void start() throws Exception {
        endpoint = new RestEndpoint(ha, AccessPolicy.KARAF_DEFAULT, TestLoginModule.configuration("karaf", USERS),
                List.of(new ChangeResource()));
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.addServlet(new ServletHolder(endpoint.servlet()), RestEndpoint.SERVLET_PATTERN);
        jetty.setHandler(context);
        jetty.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterAll
    void stop() throws Exception {
        try {
            jetty.stop();
        } finally {
            endpoint.close();
        }
    }

    @BeforeEach
    void resetHa() {
        ha.reset();
    }

    // ------------------------------------------------------------------ reading

    @Test
    void stateIsAJsonString() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/server/ha/state", "viewer");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.body()).isEqualTo("\"MASTER\"");
    }

    @Test
    void statesHaveBrooklynsFieldsExactly() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/server/ha/states", "viewer");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode states = JSON.readTree(r.body());
        assertThat(fieldNames(states)).containsExactly("planeId", "ownId", "masterId", "nodes", "links");
        assertThat(states.get("planeId").asText()).isEqualTo("plane-1");
        assertThat(states.get("ownId").asText()).isEqualTo(FakeHighAvailabilityService.OWN_ID);
        assertThat(states.get("masterId").asText()).isEqualTo(FakeHighAvailabilityService.OWN_ID);
        assertThat(states.get("links").isObject()).isTrue();
        assertThat(states.get("links").size()).isZero();
        assertThat(fieldNames(states.get("nodes"))).containsExactly("node-a", "node-b");

        JsonNode b = states.get("nodes").get("node-b");
        assertThat(fieldNames(b))
                .containsExactly("nodeId", "nodeUri", "status", "localTimestamp", "remoteTimestamp", "priority");
        assertThat(b.get("nodeId").asText()).isEqualTo("node-b");
        assertThat(b.get("nodeUri").asText()).isEqualTo(FakeHighAvailabilityService.OTHER_URI);
        assertThat(b.get("status").asText()).isEqualTo("HOT_STANDBY");
        assertThat(b.get("localTimestamp").isIntegralNumber()).isTrue();
        assertThat(b.get("localTimestamp").asLong()).isEqualTo(1_700_000_001_000L);
        assertThat(b.get("remoteTimestamp").asLong()).isEqualTo(1_700_000_001_456L);
        assertThat(b.get("priority").isInt()).isTrue();
        assertThat(b.get("priority").asInt()).isZero();
    }

    @Test
    void serverStatusEndpointsAnswerJson() throws Exception {
        assertThat(send("GET", "/v1/server/up", "viewer").body()).isEqualTo("true");
        assertThat(send("GET", "/v1/server/healthy", "viewer").body()).isEqualTo("true");
        assertThat(send("GET", "/v1/server/planeid", "viewer").body()).isEqualTo("\"plane-1\"");
        assertThat(send("GET", "/v1/server/ha/priority", "viewer").body()).isEqualTo("5");

        ha.state = ManagementNodeState.FAILED;
        ha.planeId = null;
        assertThat(send("GET", "/v1/server/healthy", "viewer").body()).isEqualTo("false");
        assertThat(send("GET", "/v1/server/up", "viewer").body()).isEqualTo("true");
        assertThat(send("GET", "/v1/server/planeid", "viewer").body()).isEqualTo("null");
    }

    @Test
    void headIsAnsweredLikeGet() throws Exception {
        assertThat(send("HEAD", "/v1/server/up", "viewer").statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ changing

    @Test
    void postingAModeAnswersThePreviousState() throws Exception {
        HttpResponse<String> r = post("/v1/server/ha/state", "admin", "mode=hot_standby");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("\"MASTER\"");
        assertThat(ha.lastMode).isEqualTo(HighAvailabilityMode.HOT_STANDBY);
    }

    @Test
    void postingAPriorityAnswersThePreviousOne() throws Exception {
        HttpResponse<String> r = post("/v1/server/ha/priority", "admin", "priority=-7");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("5");
        assertThat(ha.priority).isEqualTo(-7);
    }

    @Test
    void anUnknownModeIs400NamingFieldValueAndAcceptedValues() throws Exception {
        HttpResponse<String> r = post("/v1/server/ha/state", "admin", "mode=bogus");

        JsonNode error = assertError(r, 400);
        assertThat(error.get("message").asText()).contains("'mode'").contains("'bogus'");
        assertThat(error.get("details").asText())
                .contains("DISABLED, AUTO, MASTER, STANDBY, HOT_STANDBY, HOT_BACKUP");
        assertThat(ha.lastMode).isNull();
    }

    @Test
    void aMissingModeIs400() throws Exception {
        JsonNode error = assertError(post("/v1/server/ha/state", "admin", ""), 400);
        assertThat(error.get("message").asText()).contains("'mode'").contains("missing");

        HttpResponse<String> noBody = client.send(request("POST", "/v1/server/ha/state", "admin").build(),
                BodyHandlers.ofString());
        assertThat(assertError(noBody, 400).get("message").asText()).contains("'mode'");
    }

    @Test
    void aPriorityThatIsNotAnIntegerIs400() throws Exception {
        for (String bad : List.of("priority=abc", "priority=1.5", "priority=99999999999", "")) {
            JsonNode error = assertError(post("/v1/server/ha/priority", "admin", bad), 400);
            assertThat(error.get("message").asText()).contains("'priority'");
            assertThat(error.get("details").asText()).contains("an integer");
        }
        assertThat(ha.priority).isEqualTo(5);
    }

    @Test
    void aJsonBodyInsteadOfAFormIs415() throws Exception {
        HttpResponse<String> r = client.send(request("POST", "/v1/server/ha/state", "admin")
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{\"mode\":\"MASTER\"}"))
                .build(), BodyHandlers.ofString());
        assertError(r, 415);
    }

    // ------------------------------------------------------------------ authentication and roles

    @Test
    void noCredentialsIs401WithBasicChallenge() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/server/ha/state", null);

        assertError(r, 401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"karaf\"");
    }

    @Test
    void wrongPasswordIs401() throws Exception {
        HttpResponse<String> r = client.send(request("GET", "/v1/server/ha/state", null)
                .header("Authorization", basic("admin", "wrong")).build(), BodyHandlers.ofString());

        assertError(r, 401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"karaf\"");
    }

    @Test
    void anotherAuthenticationSchemeIs401() throws Exception {
        HttpResponse<String> r = client.send(request("GET", "/v1/server/ha/state", null)
                .header("Authorization", "Bearer abc").build(), BodyHandlers.ofString());

        assertError(r, 401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"karaf\"");
    }

    @Test
    void unknownPathsAsk401BeforeSaying404() throws Exception {
        assertError(send("GET", "/v1/no/such/thing", null), 401);
    }

    @Test
    void aUserWithoutAnyRoleMayNotRead() throws Exception {
        JsonNode error = assertError(send("GET", "/v1/server/ha/state", "nobody"), 403);
        assertThat(error.get("message").asText()).contains("nobody").contains("read");
    }

    @Test
    void managerAndViewerMayReadButNotChange() throws Exception {
        for (String user : List.of("viewer", "manager")) {
            assertThat(send("GET", "/v1/server/ha/priority", user).statusCode()).isEqualTo(200);
            JsonNode error = assertError(post("/v1/server/ha/priority", user, "priority=1"), 403);
            assertThat(error.get("message").asText()).contains(user).contains("change");
            assertThat(error.get("details").asText()).contains("admin");
        }
        assertThat(ha.priority).isEqualTo(5);
    }

    // ------------------------------------------------------------------ non-master gating

    @Test
    void aChangeOnANonMasterIs403NamingTheMaster() throws Exception {
        ha.becomeStandby();

        JsonNode error = assertError(post("/v1/test/change", "admin", ""), 403);
        assertThat(error.get("message").asText())
                .startsWith("This request is only permitted against an active primary Brooklyn server")
                .contains(FakeHighAvailabilityService.OTHER_ID)
                .contains(FakeHighAvailabilityService.OTHER_URI);
        assertThat(error.get("details").asText()).contains("HOT_STANDBY").contains("Brooklyn-Allow-Non-Master-Access");
    }

    @Test
    void theOverrideHeaderLetsAChangeThroughOnANonMaster() throws Exception {
        ha.becomeStandby();

        HttpResponse<String> r = client.send(request("POST", "/v1/test/change", "admin")
                .header("Brooklyn-Allow-Non-Master-Access", "true").POST(BodyPublishers.noBody()).build(),
                BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("true");
    }

    @Test
    void aMasterWhoseLeaseLapsedRefusesChanges() throws Exception {
        ha.actingMaster = false;

        assertError(post("/v1/test/change", "admin", ""), 403);
    }

    @Test
    void theActingMasterAcceptsChanges() throws Exception {
        assertThat(post("/v1/test/change", "admin", "").statusCode()).isEqualTo(200);
    }

    @Test
    void modeAndPriorityCanBeChangedOnANonMaster() throws Exception {
        ha.becomeStandby();

        HttpResponse<String> mode = post("/v1/server/ha/state", "admin", "mode=MASTER");
        HttpResponse<String> priority = post("/v1/server/ha/priority", "admin", "priority=9");

        assertThat(mode.statusCode()).isEqualTo(200);
        assertThat(mode.body()).isEqualTo("\"HOT_STANDBY\"");
        assertThat(ha.lastMode).isEqualTo(HighAvailabilityMode.MASTER);
        assertThat(priority.statusCode()).isEqualTo(200);
        assertThat(ha.priority).isEqualTo(9);
    }

    @Test
    void readsAreAllowedOnANonMaster() throws Exception {
        ha.becomeStandby();

        assertThat(send("GET", "/v1/server/ha/state", "viewer").body()).isEqualTo("\"HOT_STANDBY\"");
    }

    // ------------------------------------------------------------------ errors

    @Test
    void anUnknownPathIs404Json() throws Exception {
        assertError(send("GET", "/v1/no/such/thing", "viewer"), 404);
    }

    @Test
    void cxfsServiceListIsHidden() throws Exception {
        assertError(send("GET", "/v1/services", "viewer"), 404);
        assertThat(send("GET", "/v1", "viewer").body()).doesNotContain("<html");
        assertThat(send("GET", "/v1/", "viewer").body()).doesNotContain("<html");
    }

    @Test
    void aWrongMethodIs405JsonWithAllow() throws Exception {
        HttpResponse<String> r = send("DELETE", "/v1/server/up", "admin");

        assertError(r, 405);
        assertThat(r.headers().firstValue("Allow")).hasValueSatisfying(a -> assertThat(a).contains("GET"));
    }

    @Test
    void anUnexpectedFailureIs500WithoutItsDetails() throws Exception {
        ha.failure = new UnsupportedOperationException("secret internal detail");

        HttpResponse<String> r = send("GET", "/v1/server/ha/priority", "viewer");

        JsonNode error = assertError(r, 500);
        assertThat(error.get("details").asText()).contains("incident");
        assertThat(r.body()).doesNotContain("secret internal detail").doesNotContain("at dev.tandem");
    }

    @Test
    void anHaServiceThatCannotAnswerNowIs503WithItsReason() throws Exception {
        ha.failure = new IllegalStateException("cannot read the plane from the store: folder gone");

        JsonNode error = assertError(send("GET", "/v1/server/ha/states", "viewer"), 503);
        assertThat(error.get("details").asText()).contains("folder gone");
    }

    @Test
    void noSessionIsCreated() throws Exception {
        for (HttpResponse<String> r : List.of(send("GET", "/v1/server/ha/state", "viewer"),
                post("/v1/server/ha/state", "admin", "mode=AUTO"), send("GET", "/v1/server/ha/state", null))) {
            assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static JsonNode assertError(HttpResponse<String> r, int status) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode error = JSON.readTree(r.body());
        assertThat(fieldNames(error)).containsExactly("message", "details", "error");
        assertThat(error.get("error").asInt()).isEqualTo(status);
        assertThat(error.get("message").asText()).isNotBlank();
        return error;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private HttpResponse<String> send(String method, String path, String user) throws Exception {
        return client.send(request(method, path, user).method(method, BodyPublishers.noBody()).build(),
                BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String user, String form) throws Exception {
        return client.send(request("POST", path, user).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString(form)).build(), BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String method, String path, String user) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, BodyPublishers.noBody());
        if (user != null) {
            b.header("Authorization", basic(user, "secret"));
        }
        return b;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
