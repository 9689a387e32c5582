package dev.tandem.ha.rest;

import static dev.tandem.ha.rest.HttpHarness.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tandem.ha.api.ManagementNodeState;

/** The opt-in settings of PID dev.tandem.ha.rest over real HTTP: redirect, anonymous health, the two caches. */
class RestSettingsHttpTest {

    private final FakeHighAvailabilityService ha = new FakeHighAvailabilityService();

    @Test
    void withRedirectANonMasterWriteIs307ToTheSamePathOnTheMaster() throws Exception {
        try (HttpHarness http = new HttpHarness(ha, RestSettings.DEFAULTS.withRedirect(true))) {
            ha.becomeStandby();

            HttpResponse<String> r = http.post("/v1/server/ha/stepdown?x=1", "admin", "hold=5s");

            JsonNode body = assertError(r, 307);
            assertThat(r.headers().firstValue("Location")).hasValue("http://127.0.0.12:8081/v1/server/ha/stepdown?x=1");
            assertThat(body.get("message").asText()).contains("http://127.0.0.12:8081/v1/server/ha/stepdown");
            assertThat(ha.lastHoldMillis).isEqualTo(-1);
        }
    }

    @Test
    void withRedirectTheMasterAndTheExemptCallsAreNotRedirected() throws Exception {
        try (HttpHarness http = new HttpHarness(ha, RestSettings.DEFAULTS.withRedirect(true))) {
            assertThat(http.post("/v1/server/ha/states/clear", "admin", "").statusCode()).isEqualTo(200);

            ha.becomeStandby();
            // mode and priority act on this node: never redirected to the master (which they would change); refused
            // without the header, as in Brooklyn
            assertError(http.post("/v1/server/ha/priority", "admin", "priority=3"), 403);
            assertError(http.post("/v1/server/ha/state", "admin", "mode=MASTER"), 403);
            assertThat(ha.priority).isEqualTo(5);
            HttpResponse<String> priority = http.client.send(http.request("/v1/server/ha/priority", "admin")
                    .header("Brooklyn-Allow-Non-Master-Access", "true")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(BodyPublishers.ofString("priority=3")).build(), BodyHandlers.ofString());
            assertThat(priority.statusCode()).isEqualTo(200);
            assertThat(ha.priority).isEqualTo(3);
            // the override header still forces a request here
            HttpResponse<String> forced = http.client.send(http.request("/v1/server/ha/states/clear", "admin")
                    .header("Brooklyn-Allow-Non-Master-Access", "true").POST(BodyPublishers.noBody()).build(),
                    BodyHandlers.ofString());
            assertThat(forced.statusCode()).isEqualTo(200);
            // authentication and roles come first
            assertError(http.post("/v1/server/ha/states/clear", null, ""), 401);
            assertError(http.post("/v1/server/ha/states/clear", "viewer", ""), 403);
        }
    }

    @Test
    void withRedirectButNoKnownMasterItIs403() throws Exception {
        try (HttpHarness http = new HttpHarness(ha, RestSettings.DEFAULTS.withRedirect(true))) {
            ha.becomeStandby();
            ha.masterId = null;

            JsonNode error = assertError(http.post("/v1/server/ha/states/clear", "admin", ""), 403);
            assertThat(error.get("message").asText()).contains("no master is known");
        }
    }

    @Test
    void anonymousHealthOpensOnlyTheHealthCheck() throws Exception {
        try (HttpHarness http = new HttpHarness(ha, RestSettings.DEFAULTS.withAnonymousHealth(true))) {
            HttpResponse<String> anonymous = http.send("GET", "/v1/server/ha/health", null);
            assertThat(anonymous.statusCode()).isEqualTo(200);
            // without credentials the body tells the role only
            assertThat(anonymous.body()).isEqualTo("{\"role\":\"active\"}");
            assertThat(http.send("HEAD", "/v1/server/ha/health", null).statusCode()).isEqualTo(200);
            // credentials are ignored there: still the role only
            assertThat(http.send("GET", "/v1/server/ha/health", "viewer").body()).isEqualTo("{\"role\":\"active\"}");
            ha.becomeStandby();
            HttpResponse<String> standby = http.send("GET", "/v1/server/ha/health", null);
            assertThat(standby.statusCode()).isEqualTo(429);
            assertThat(standby.body()).isEqualTo("{\"role\":\"standby\"}").doesNotContain(FakeHighAvailabilityService.OWN_ID);
            assertError(http.send("GET", "/v1/server/ha/health?standbyCode=1", null), 400);

            assertError(http.send("GET", "/v1/server/ha/state", null), 401);
            assertError(http.send("GET", "/v1/server/ha/healthx", null), 401);
            assertError(http.send("POST", "/v1/server/ha/health", null), 401);
        }
    }

    /** Another node's release notice needs no credentials and is taken on a standby; it only asks for a poll. */
    @Test
    void aReleaseNoticeIsTakenWithoutCredentialsInAnyState() throws Exception {
        try (HttpHarness http = new HttpHarness(ha, RestSettings.DEFAULTS)) {
            ha.becomeStandby();
            HttpResponse<String> notice = http.send("POST", "/v1/server/ha/notice", null);
            assertThat(notice.statusCode()).isEqualTo(204);
            assertThat(ha.noticesReceived).isEqualTo(1);
            // only POST, only that path: everything else still needs credentials
            assertError(http.send("GET", "/v1/server/ha/notice", null), 401);
            assertError(http.send("POST", "/v1/server/ha/noticex", null), 401);
            assertError(http.send("POST", "/v1/server/ha/state", null), 401);
        }
    }

    @Test
    void aLoginIsReusedForTheSameCredentialsOnly() throws Exception {
        try (HttpHarness http = new HttpHarness(ha, RestSettings.DEFAULTS.withCaches(Duration.ofMinutes(1), Duration.ZERO))) {
            int before = TestLoginModule.LOGINS.get();
            for (int i = 0; i < 5; i++) {
                assertThat(http.send("GET", "/v1/server/ha/state", "viewer").statusCode()).isEqualTo(200);
            }
            assertThat(TestLoginModule.LOGINS.get() - before).as("JAAS logins for 5 requests").isEqualTo(1);

            // a wrong password for a cached user goes to the realm again, and fails
            HttpResponse<String> wrong = http.client.send(http.request("/v1/server/ha/state", null)
                    .header("Authorization", HttpHarness.basic("viewer", "not-secret")).GET().build(),
                    BodyHandlers.ofString());
            assertError(wrong, 401);
            assertThat(TestLoginModule.LOGINS.get() - before).isEqualTo(2);
            // a failure is not remembered, and does not evict the good login
            assertThat(http.send("GET", "/v1/server/ha/state", "viewer").statusCode()).isEqualTo(200);
            assertThat(TestLoginModule.LOGINS.get() - before).isEqualTo(2);
            // the cached subject keeps its roles: a viewer still may not change anything
            assertError(http.post("/v1/server/ha/priority", "viewer", "priority=1"), 403);
            assertThat(http.endpoint.cachedLogins()).isEqualTo(1);
        }
    }

    @Test
    void withoutLoginCacheEveryRequestLogsIn() throws Exception {
        try (HttpHarness http = new HttpHarness(ha, RestSettings.DEFAULTS.withCaches(Duration.ZERO, Duration.ZERO))) {
            int before = TestLoginModule.LOGINS.get();
            for (int i = 0; i < 3; i++) {
                assertThat(http.send("GET", "/v1/server/ha/state", "viewer").statusCode()).isEqualTo(200);
            }
            assertThat(TestLoginModule.LOGINS.get() - before).isEqualTo(3);
        }
    }

    @Test
    void thePlaneIsReadOncePerCacheTimeAndAgainAfterAChange() throws Exception {
        try (HttpHarness http = new HttpHarness(ha, RestSettings.DEFAULTS.withCaches(Duration.ZERO, Duration.ofMinutes(1)))) {
            for (int i = 0; i < 4; i++) {
                assertThat(http.send("GET", "/v1/server/ha/states", "viewer").statusCode()).isEqualTo(200);
            }
            assertThat(ha.planeReads).hasValue(1);

            assertThat(http.post("/v1/server/ha/stepdown", "admin", "hold=1s").statusCode()).isEqualTo(200);
            JsonNode states = HttpHarness.JSON.readTree(http.send("GET", "/v1/server/ha/states", "viewer").body());
            assertThat(states.get("masterId").asText()).as("a change through the API drops the cached view")
                    .isEqualTo(FakeHighAvailabilityService.OTHER_ID);
            assertThat(ha.planeReads).hasValue(2);
            assertThat(ha.state).isEqualTo(ManagementNodeState.HOT_STANDBY);
        }
    }
}
