package dev.tandem.ha.rest;

import static dev.tandem.ha.rest.HttpHarness.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Brooklyn's {@code /server/up/extended}, {@code /server/version}, {@code /server/shuttingDown} and
 * {@code /server/shutdown}, and the Prometheus text, over real HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrooklynServerEndpointsHttpTest {

    private final FakeHighAvailabilityService ha = new FakeHighAvailabilityService();
    private HttpHarness http;

    @BeforeAll
    void start() throws Exception {
        http = new HttpHarness(ha, RestSettings.DEFAULTS.withCaches(Duration.ofSeconds(5), Duration.ZERO));
    }

    @AfterAll
    void stop() throws Exception {
        http.close();
    }

    @BeforeEach
    void reset() {
        ha.reset();
        http.server.reset();
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> r = http.send("GET", path, "viewer");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return HttpHarness.JSON.readTree(r.body());
    }

    @Test
    void upExtendedHasBrooklynsFieldsWithTheStatesOfThePlane() throws Exception {
        JsonNode up = json("/v1/server/up/extended");

        assertThat(HttpHarness.fieldNames(up)).containsExactly("up", "shuttingDown", "healthy", "ha", "osgiUp");
        assertThat(up.get("up").asBoolean()).isTrue();
        assertThat(up.get("shuttingDown").asBoolean()).isFalse();
        assertThat(up.get("healthy").asBoolean()).isTrue();
        assertThat(up.get("osgiUp").asBoolean()).isTrue();
        assertThat(up.get("ha")).isEqualTo(json("/v1/server/ha/states"));
        assertThat(up.get("ha").get("ownId").asText()).isEqualTo(FakeHighAvailabilityService.OWN_ID);

        http.server.osgiUp = false;
        ha.state = dev.tandem.ha.api.ManagementNodeState.FAILED;
        up = json("/v1/server/up/extended");
        assertThat(up.get("osgiUp").asBoolean()).isFalse();
        assertThat(up.get("healthy").asBoolean()).isFalse();
    }

    @Test
    void versionHasBrooklynsVersionSummaryFields() throws Exception {
        JsonNode version = json("/v1/server/version");

        assertThat(HttpHarness.fieldNames(version)).containsExactly("version", "buildSha1", "buildBranch", "features");
        assertThat(version.get("version").asText()).isEqualTo("0.1.0-TEST");
        assertThat(version.get("buildSha1").asText()).isEqualTo("0123456789abcdef");
        JsonNode feature = version.get("features").get(0);
        assertThat(HttpHarness.fieldNames(feature)).containsExactly("name", "symbolicName", "version", "lastModified");
        assertThat(feature.get("symbolicName").asText()).isEqualTo("dev.tandem.ha.rest");
    }

    @Test
    void shutdownAnswers204AndAsksTheServerToStopAfterBrooklynsDefaultDelay() throws Exception {
        assertThat(json("/v1/server/shuttingDown").asBoolean()).isFalse();

        HttpResponse<String> r = http.post("/v1/server/shutdown", "admin", "");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        assertThat(http.server.shutdowns).containsExactly(Duration.ofSeconds(5));
        assertThat(json("/v1/server/shuttingDown").asBoolean()).isTrue();
        assertThat(json("/v1/server/up/extended").get("shuttingDown").asBoolean()).isTrue();
    }

    @Test
    void shutdownTakesBrooklynsFormFields() throws Exception {
        HttpResponse<String> r = http.post("/v1/server/shutdown", "admin",
                "stopAppsFirst=true&forceShutdownOnError=true&shutdownTimeout=1m&requestTimeout=0&delayForHttpReturn=250ms");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        // Brooklyn's deprecated delayMillis wins over delayForHttpReturn
        assertThat(http.post("/v1/server/shutdown", "admin", "delayForHttpReturn=9s&delayMillis=1500").statusCode())
                .isEqualTo(204);

        assertThat(http.server.shutdowns).containsExactly(Duration.ofMillis(250), Duration.ofMillis(1500));
    }

    @Test
    void aBadShutdownFieldIs400NamingItAndNothingStops() throws Exception {
        for (String form : List.of("delayForHttpReturn=soon", "shutdownTimeout=-1s", "requestTimeout=2h",
                "stopAppsFirst=yes", "forceShutdownOnError=1", "delayMillis=abc")) {
            String field = form.substring(0, form.indexOf('='));
            JsonNode error = assertError(http.post("/v1/server/shutdown", "admin", form), 400);
            assertThat(error.get("message").asText()).as(form).contains(field);
        }
        assertThat(http.server.shutdowns).isEmpty();
    }

    @Test
    void aStandbyMayBeShutDownWithoutTheHeaderButNotAskedToStopAppsFirst() throws Exception {
        ha.becomeStandby();

        JsonNode error = assertError(http.post("/v1/server/shutdown", "admin", "stopAppsFirst=true"), 403);
        assertThat(error.get("message").asText()).isEqualTo("Not allowed to stop all apps when server is not master");
        assertThat(error.get("details").asText()).contains(FakeHighAvailabilityService.OTHER_ID);
        assertThat(http.server.shutdowns).isEmpty();

        assertThat(http.post("/v1/server/shutdown", "admin", "delayForHttpReturn=0").statusCode()).isEqualTo(204);
        assertThat(http.server.shutdowns).containsExactly(Duration.ZERO);
    }

    @Test
    void shutdownNeedsAnAdmin() throws Exception {
        assertError(http.post("/v1/server/shutdown", null, ""), 401);
        assertError(http.post("/v1/server/shutdown", "viewer", ""), 403);
        assertError(http.post("/v1/server/shutdown", "manager", ""), 403);
        assertThat(http.server.shutdowns).isEmpty();
    }

    @Test
    void prometheusTextIsServedToViewersWithItsContentType() throws Exception {
        HttpResponse<String> r = http.send("GET", "/v1/server/ha/metrics/prometheus", "viewer");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/plain").contains("version=0.0.4"));
        assertThat(r.body()).contains("tandem_ha_state{state=\"MASTER\"} 1\n")
                .contains("tandem_ha_acting_master 1\n").contains("tandem_ha_epoch 3\n");
        assertThat(r.body()).as("no hot copy: no lag gauge").doesNotContain(PrometheusText.HOT_COPY_LAG);
        assertError(http.send("GET", "/v1/server/ha/metrics/prometheus", null), 401);
        assertError(http.send("GET", "/v1/server/ha/metrics/prometheus", "nobody"), 403);
    }

    @Test
    void theHotCopysLagIsInBothMetricsWhileTheNodeKeepsACopy() throws Exception {
        http.server.hotCopyLag = OptionalLong.of(1_250);
        try {
            assertThat(http.send("GET", "/v1/server/ha/metrics/prometheus", "viewer").body())
                    .contains("\n" + PrometheusText.HOT_COPY_LAG + " 1.25\n");
            JsonNode json = HttpHarness.JSON.readTree(http.send("GET", "/v1/server/ha/metrics", "viewer").body());
            assertThat(json.get("hotCopyLagMillis").asLong()).isEqualTo(1_250);
            assertThat(json.get("nodeId").asText()).isEqualTo(FakeHighAvailabilityService.OWN_ID);
        } finally {
            http.server.hotCopyLag = OptionalLong.empty();
        }
    }
}
