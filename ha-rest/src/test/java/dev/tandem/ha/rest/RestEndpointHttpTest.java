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
    private HttpHarness harness;
    private URI base;

    @BeforeAll
    void start() throws Exception {
        // no plane cache: the tests change the fake's plane between requests
        harness = new HttpHarness(ha, RestSettings.DEFAULTS.withCaches(Duration.ofSeconds(5), Duration.ZERO),
                List.of(new ChangeResource()));
        base = harness.base;
    }

    @AfterAll
    void stop() throws Exception {
        harness.close();
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
        assertThat(error.get("message").asText()).isEqualTo(
                "mode='bogus' is not valid; accepted: DISABLED, AUTO, MASTER, STANDBY, HOT_STANDBY, HOT_BACKUP (any case)");
        assertThat(error.get("details").asText())
                .contains("DISABLED, AUTO, MASTER, STANDBY, HOT_STANDBY, HOT_BACKUP");
        assertThat(ha.lastMode).isNull();
    }

    @Test
    void aMissingModeIs400() throws Exception {
        JsonNode error = assertError(post("/v1/server/ha/state", "admin", ""), 400);
        assertThat(error.get("message").asText()).startsWith("mode=(missing) is not valid");

        HttpResponse<String> noBody = client.send(request("POST", "/v1/server/ha/state", "admin").build(),
                BodyHandlers.ofString());
        assertThat(assertError(noBody, 400).get("message").asText()).startsWith("mode=");
    }

    @Test
    void aPriorityThatIsNotAnIntegerIs400() throws Exception {
        for (String bad : List.of("priority=abc", "priority=1.5", "priority=99999999999", "")) {
            JsonNode error = assertError(post("/v1/server/ha/priority", "admin", bad), 400);
            assertThat(error.get("message").asText()).startsWith("priority=");
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
    void modeAndPriorityChangesOnANonMasterAre403WithoutTheHeaderAsInBrooklyn() throws Exception {
        ha.becomeStandby();

        JsonNode mode = assertError(post("/v1/server/ha/state", "admin", "mode=MASTER"), 403);
        JsonNode priority = assertError(post("/v1/server/ha/priority", "admin", "priority=9"), 403);

        assertThat(mode.get("message").asText())
                .startsWith("This request is only permitted against an active primary Brooklyn server");
        assertThat(priority.get("details").asText()).contains("Brooklyn-Allow-Non-Master-Access");
        assertThat(ha.lastMode).isNull();
        assertThat(ha.priority).isEqualTo(5);
    }

    @Test
    void modeAndPriorityChangeOnANonMasterWithTheHeader() throws Exception {
        ha.becomeStandby();

        HttpResponse<String> mode = postWithOverride("/v1/server/ha/state", "mode=MASTER");
        HttpResponse<String> priority = postWithOverride("/v1/server/ha/priority", "priority=9");

        assertThat(mode.statusCode()).isEqualTo(200);
        assertThat(mode.body()).isEqualTo("\"HOT_STANDBY\"");
        assertThat(ha.lastMode).isEqualTo(HighAvailabilityMode.MASTER);
        assertThat(priority.statusCode()).isEqualTo(200);
        assertThat(ha.priority).isEqualTo(9);
    }

    private HttpResponse<String> postWithOverride(String path, String form) throws Exception {
        return client.send(request("POST", path, "admin").header("Content-Type", "application/x-www-form-urlencoded")
                .header("Brooklyn-Allow-Non-Master-Access", "true").POST(BodyPublishers.ofString(form)).build(),
                BodyHandlers.ofString());
    }

    @Test
    void readsAreAllowedOnANonMaster() throws Exception {
        ha.becomeStandby();

        assertThat(send("GET", "/v1/server/ha/state", "viewer").body()).isEqualTo("\"HOT_STANDBY\"");
    }

    // ------------------------------------------------------------------ record clearing

    @Test
    void clearingAllRecordsAnswers200WithoutBody() throws Exception {
        HttpResponse<String> r = post("/v1/server/ha/states/clear", "admin", "");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(ha.clearAllCalls).hasValue(1);
    }

    @Test
    void clearingOneRecordRemovesIt() throws Exception {
        HttpResponse<String> r = post("/v1/server/ha/states/clear/node", "admin", "nodeId=node-b");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(ha.clearedRecords).containsExactly("node-b");
    }

    @Test
    void clearingOwnMissingOrUnknownRecordIs400NamingNodeId() throws Exception {
        for (String form : List.of("nodeId=node-a", "nodeId=no-such-node", "nodeId=", "")) {
            JsonNode error = assertError(post("/v1/server/ha/states/clear/node", "admin", form), 400);
            assertThat(error.get("message").asText()).as(form).startsWith("nodeId=").contains("is not valid");
            assertThat(error.get("details").asText()).as(form).contains("other than this one");
        }
        assertThat(ha.clearedRecords).isEmpty();
    }

    @Test
    void clearingNeedsAdminAndTheMaster() throws Exception {
        assertError(post("/v1/server/ha/states/clear", null, ""), 401);
        assertError(post("/v1/server/ha/states/clear/node", null, "nodeId=node-b"), 401);
        assertError(post("/v1/server/ha/states/clear", "viewer", ""), 403);
        assertError(post("/v1/server/ha/states/clear/node", "manager", "nodeId=node-b"), 403);

        ha.becomeStandby();
        JsonNode error = assertError(post("/v1/server/ha/states/clear", "admin", ""), 403);
        assertThat(error.get("message").asText()).contains("master node-b at " + FakeHighAvailabilityService.OTHER_URI);
        assertThat(ha.clearAllCalls).hasValue(0);
    }

    // ------------------------------------------------------------------ metrics

    @Test
    void metricsAreTheHaMetricsAsJson() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/server/ha/metrics", "viewer");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode m = JSON.readTree(r.body());
        assertThat(fieldNames(m)).containsExactly("nodeId", "state", "epoch", "uptimeMillis", "pollPeriodMillis",
                "heartbeatTimeoutMillis", "leaseMillis", "store", "claimMethod", "storeRequests", "history",
                "masterGained", "masterLost", "storeFailures", "storeLatency", "leaseRemainingMillis", "hotCopyLagMillis");
        assertThat(m.get("hotCopyLagMillis").isNull()).as("no hot copy on a master").isTrue();
        assertThat(m.get("state").asText()).isEqualTo("MASTER");
        assertThat(m.get("masterGained").asLong()).as("from the history: INITIALIZING -> MASTER").isEqualTo(1);
        assertThat(m.get("heartbeatTimeoutMillis").asLong()).isEqualTo(30_000);
        assertThat(m.get("storeRequests").get("read").asLong()).isEqualTo(10);
        JsonNode change = m.get("history").get(0);
        assertThat(fieldNames(change)).containsExactly("timestamp", "from", "to", "epoch", "reason");
        assertThat(change.get("to").asText()).isEqualTo("MASTER");
    }

    @Test
    void metricsNeedAViewer() throws Exception {
        assertError(send("GET", "/v1/server/ha/metrics", null), 401);
        assertError(send("GET", "/v1/server/ha/metrics", "nobody"), 403);
        assertError(send("POST", "/v1/server/ha/metrics", "admin"), 405);
    }

    // ------------------------------------------------------------------ load balancer health

    @Test
    void healthIs200OnTheActingMaster429OnAStandby503WhenUnhealthy() throws Exception {
        HttpResponse<String> master = send("GET", "/v1/server/ha/health", "viewer");
        assertThat(master.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(master.body());
        assertThat(fieldNames(body)).containsExactly("nodeId", "state", "actingMaster", "role");
        assertThat(body.get("role").asText()).isEqualTo("active");
        assertThat(master.headers().firstValue("Cache-Control")).hasValueSatisfying(c -> assertThat(c).contains("no-store"));

        ha.becomeStandby();
        HttpResponse<String> standby = send("GET", "/v1/server/ha/health", "viewer");
        assertThat(standby.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(standby.body()).get("role").asText()).isEqualTo("standby");

        for (ManagementNodeState bad : List.of(ManagementNodeState.FAILED, ManagementNodeState.INITIALIZING,
                ManagementNodeState.TERMINATED)) {
            ha.state = bad;
            HttpResponse<String> r = send("GET", "/v1/server/ha/health", "viewer");
            assertThat(r.statusCode()).as(bad.name()).isEqualTo(503);
            assertThat(JSON.readTree(r.body()).get("role").asText()).isEqualTo("unhealthy");
        }

        ha.reset();
        ha.actingMaster = false; // a MASTER whose lease lapsed must not receive traffic
        assertThat(send("GET", "/v1/server/ha/health", "viewer").statusCode()).isEqualTo(503);
        assertThat(ha.planeReads).as("health never reads the store").hasValue(0);
    }

    @Test
    void healthCodesCanBeChosen() throws Exception {
        assertThat(send("GET", "/v1/server/ha/health?activeCode=204", "viewer").statusCode()).isEqualTo(204);
        ha.becomeStandby();
        assertThat(send("GET", "/v1/server/ha/health?standbyCode=200", "viewer").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v1/server/ha/health?standbyOk=true", "viewer").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v1/server/ha/health?standbyOk=false", "viewer").statusCode()).isEqualTo(429);
        ha.state = ManagementNodeState.FAILED;
        assertThat(send("GET", "/v1/server/ha/health?unhealthyCode=500", "viewer").statusCode()).isEqualTo(500);
        assertThat(send("HEAD", "/v1/server/ha/health?unhealthyCode=599", "viewer").statusCode()).isEqualTo(599);
    }

    @Test
    void aBadHealthCodeIs400NamingTheParameter() throws Exception {
        for (String query : List.of("standbyCode=abc", "standbyCode=199", "unhealthyCode=600", "activeCode=",
                "standbyOk=maybe")) {
            String param = query.substring(0, query.indexOf('='));
            JsonNode error = assertError(send("GET", "/v1/server/ha/health?" + query, "viewer"), 400);
            assertThat(error.get("message").asText()).as(query).startsWith(param + "=");
        }
    }

    @Test
    void healthNeedsCredentialsByDefault() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/server/ha/health", null);
        assertError(r, 401);
        assertError(send("GET", "/v1/server/ha/health", "nobody"), 403);
    }

    // ------------------------------------------------------------------ step-down

    @Test
    void stepDownAnswersThePreviousStateAndHoldsForTheHeartbeatTimeoutByDefault() throws Exception {
        HttpResponse<String> r = post("/v1/server/ha/stepdown", "admin", "");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("\"MASTER\"");
        assertThat(ha.lastHoldMillis).isEqualTo(30_000);
        assertThat(ha.state).isEqualTo(ManagementNodeState.HOT_STANDBY);
    }

    @Test
    void stepDownTakesAHoldDuration() throws Exception {
        assertThat(post("/v1/server/ha/stepdown", "admin", "hold=1m%2030s").statusCode()).isEqualTo(200);
        assertThat(ha.lastHoldMillis).isEqualTo(90_000);
        ha.reset();
        assertThat(post("/v1/server/ha/stepdown", "admin", "hold=0").statusCode()).isEqualTo(200);
        assertThat(ha.lastHoldMillis).isZero();
    }

    @Test
    void aBadHoldIs400NamingHold() throws Exception {
        for (String bad : List.of("hold=soon", "hold=-5s", "hold=2d", "hold=10x", "hold=5s5")) {
            JsonNode error = assertError(post("/v1/server/ha/stepdown", "admin", bad), 400);
            assertThat(error.get("message").asText()).as(bad).startsWith("hold=");
            assertThat(error.get("details").asText()).as(bad).contains("a duration");
        }
        // word for word what ha:stepdown prints (ha-shell's CommandsTest holds the same text)
        assertThat(assertError(post("/v1/server/ha/stepdown", "admin", "hold=soon"), 400).get("message").asText())
                .isEqualTo("hold='soon' is not valid; accepted: a duration from 0 to 1d such as 500ms, 30s, 2m or 1h");
        assertThat(ha.lastHoldMillis).isEqualTo(-1);
        assertThat(ha.state).isEqualTo(ManagementNodeState.MASTER);
    }

    @Test
    void stepDownOnANonMasterIs403AndWithTheOverride409() throws Exception {
        ha.becomeStandby();

        JsonNode gated = assertError(post("/v1/server/ha/stepdown", "admin", "hold=5s"), 403);
        assertThat(gated.get("message").asText()).contains("master node-b at " + FakeHighAvailabilityService.OTHER_URI);

        HttpResponse<String> forced = client.send(request("POST", "/v1/server/ha/stepdown", "admin")
                .header("Brooklyn-Allow-Non-Master-Access", "true")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("hold=5s")).build(), BodyHandlers.ofString());
        JsonNode conflict = assertError(forced, 409);
        assertThat(conflict.get("message").asText()).contains("Only the master can step down").contains("HOT_STANDBY");
        assertThat(conflict.get("details").asText()).contains("node-b").contains(FakeHighAvailabilityService.OTHER_URI);
        assertThat(ha.lastHoldMillis).isEqualTo(-1);
    }

    @Test
    void stepDownNeedsAdmin() throws Exception {
        assertError(post("/v1/server/ha/stepdown", null, ""), 401);
        assertError(post("/v1/server/ha/stepdown", "manager", ""), 403);
        assertThat(ha.state).isEqualTo(ManagementNodeState.MASTER);
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
