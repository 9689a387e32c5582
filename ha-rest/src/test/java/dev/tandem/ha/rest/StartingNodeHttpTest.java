package dev.tandem.ha.rest;

import static dev.tandem.ha.rest.HttpHarness.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The API of a node whose HA service is not there (yet, or any more): the state and the liveness checks answer,
 * everything that needs the service is 503 with the usual error body, and credentials are checked as always.
 */
class StartingNodeHttpTest {

    private final HaServiceSlot slot = new HaServiceSlot();
    private final FakeHighAvailabilityService ha = new FakeHighAvailabilityService();
    private HttpHarness http;

    @BeforeEach
    void start() throws Exception {
        http = new HttpHarness(slot, RestSettings.DEFAULTS);
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
    }

    @Test
    void theStateIsInitializingAsAJsonStringUntilTheServiceComes() throws Exception {
        HttpResponse<String> state = http.send("GET", "/v1/server/ha/state", "viewer");
        assertThat(state.statusCode()).isEqualTo(200);
        assertThat(state.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(state.body()).isEqualTo("\"INITIALIZING\"");
        assertThat(http.send("GET", "/v1/server/up", "viewer").body()).isEqualTo("false");
        assertThat(http.send("GET", "/v1/server/healthy", "viewer").body()).isEqualTo("false");
        assertThat(http.send("GET", "/v1/server/planeid", "viewer").body()).isEqualTo("null");

        slot.bind(ha);
        assertThat(http.send("GET", "/v1/server/ha/state", "viewer").body()).isEqualTo("\"MASTER\"");
        assertThat(http.send("GET", "/v1/server/up", "viewer").body()).isEqualTo("true");

        slot.unbind(ha);
        assertThat(http.send("GET", "/v1/server/ha/state", "viewer").body()).as("the service went away")
                .isEqualTo("\"TERMINATED\"");
        JsonNode error = assertError(http.send("GET", "/v1/server/ha/states", "viewer"), 503);
        assertThat(error.get("message").asText()).isEqualTo("The node's HA service has stopped");
    }

    @Test
    void whatNeedsTheServiceIs503SayingTheNodeIsStarting() throws Exception {
        for (String path : new String[] {"/v1/server/ha/states", "/v1/server/ha/metrics", "/v1/server/ha/priority",
                "/v1/server/ha/metrics/prometheus", "/v1/server/up/extended"}) {
            HttpResponse<String> r = http.send("GET", path, "viewer");
            JsonNode error = assertError(r, 503);
            assertThat(error.get("message").asText()).as(path).isEqualTo("The node is starting");
            assertThat(error.get("details").asText()).as(path).contains("HA service is not running yet");
            assertThat(r.headers().firstValue("Retry-After")).as(path).contains("1");
        }
        // changes too, with or without the header that lets them reach a node that is not the master
        JsonNode clear = assertError(http.post("/v1/server/ha/states/clear", "admin", ""), 503);
        assertThat(clear.get("message").asText()).isEqualTo("The node is starting");
        HttpResponse<String> forced = http.client.send(http.request("/v1/server/ha/priority", "admin")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(MasterOnlyFilter.OVERRIDE_HEADER, "true")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("priority=3")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(assertError(forced, 503).get("message").asText()).isEqualTo("The node is starting");
        assertError(http.post("/v1/server/ha/notice", null, ""), 503);
    }

    @Test
    void healthSaysUnhealthyWithTheUsualBody() throws Exception {
        HttpResponse<String> health = http.send("GET", "/v1/server/ha/health", "viewer");
        assertThat(health.statusCode()).isEqualTo(503);
        JsonNode body = HttpHarness.JSON.readTree(health.body());
        assertThat(body.get("state").asText()).isEqualTo("INITIALIZING");
        assertThat(body.get("role").asText()).isEqualTo("unhealthy");
        assertThat(body.get("actingMaster").asBoolean()).isFalse();
        assertThat(body.get("nodeId").isNull()).isTrue();
    }

    @Test
    void credentialsAreCheckedAsAlways() throws Exception {
        assertError(http.send("GET", "/v1/server/ha/state", null), 401);
        assertError(http.send("GET", "/v1/server/ha/states", null), 401);
        assertError(http.send("GET", "/v1/server/ha/state", "nobody"), 403);
        assertError(http.post("/v1/server/ha/states/clear", "viewer", ""), 403);
    }
}
