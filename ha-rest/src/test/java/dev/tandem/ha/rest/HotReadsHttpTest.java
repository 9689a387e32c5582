package dev.tandem.ha.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.ManagementNodeState;

/**
 * The reads answered without CXF ({@link HotReads}): the same answers as the API's, and only where they are certain;
 * every refusal, and every request that needs a login or negotiation, is still CXF's.
 */
class HotReadsHttpTest {

    private static final List<String> PATHS = List.of("/v1/server/ha/state", "/v1/server/up", "/v1/server/healthy");


    private final FakeHighAvailabilityService ha = new FakeHighAvailabilityService();
    private HttpHarness harness;

    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void start(Duration authCacheTtl) throws Exception {
        harness = new HttpHarness(ha, RestSettings.DEFAULTS.withCaches(authCacheTtl, Duration.ZERO));
    }

    private long hot() {
        return harness.endpoint.hotAnswers();
    }

    @Test
    void onceTheLoginIsCachedTheReadsAreAnsweredWithoutCxfAndAlike() throws Exception {
        start(Duration.ofMinutes(1));
        for (ManagementNodeState state : ManagementNodeState.values()) {
            ha.state = state;
            for (String path : PATHS) {
                long before = hot();
                HttpResponse<String> viaCxf = harness.send("GET", path + "?probe=1", "viewer");
                assertThat(hot()).as("a query string goes to CXF").isEqualTo(before);

                HttpResponse<String> direct = harness.send("GET", path, "viewer");

                assertThat(hot()).as(path).isEqualTo(before + 1);
                assertThat(direct.statusCode()).isEqualTo(200).isEqualTo(viaCxf.statusCode());
                assertThat(direct.body()).as(state + " " + path).isEqualTo(viaCxf.body());
                assertThat(direct.headers().firstValue("Content-Type"))
                        .isEqualTo(viaCxf.headers().firstValue("Content-Type")).hasValue("application/json");
            }
        }
        ha.state = ManagementNodeState.FAILED;
        assertThat(harness.send("GET", "/v1/server/ha/state", "viewer").body()).isEqualTo("\"FAILED\"");
        assertThat(harness.send("GET", "/v1/server/up", "viewer").body()).isEqualTo("true");
        assertThat(harness.send("GET", "/v1/server/healthy", "viewer").body()).isEqualTo("false");
        for (String accept : List.of("*/*", "application/json", "application/*")) {
            long before = hot();
            HttpResponse<String> r = send(harness.request("/v1/server/ha/state", "viewer").header("Accept", accept));
            assertThat(r.body()).isEqualTo("\"FAILED\"");
            assertThat(hot()).as(accept).isEqualTo(before + 1);
        }
    }

    @Test
    void refusalsStayTheApis() throws Exception {
        start(Duration.ofMinutes(1));
        harness.send("GET", "/v1/server/ha/state", "nobody"); // logged in (and cached), but no role that may read

        HttpHarness.assertError(harness.send("GET", "/v1/server/ha/state", "nobody"), 403);
        HttpHarness.assertError(harness.send("GET", "/v1/server/ha/state", null), 401);
        assertThat(harness.send("GET", "/v1/server/ha/state", "viewer").statusCode()).isEqualTo(200);
        HttpResponse<String> wrongPassword = send(harness.request("/v1/server/ha/state", null)
                .header("Authorization", HttpHarness.basic("viewer", "not-the-password")));
        HttpHarness.assertError(wrongPassword, 401);
        HttpResponse<String> notBase64 = send(harness.request("/v1/server/ha/state", null)
                .header("Authorization", "Basic !!!"));
        assertThat(notBase64.statusCode()).isEqualTo(401);

        assertThat(hot()).isZero();
    }

    /** Headers that CXF may read otherwise are CXF's to answer, even with a cached login's password. */
    @Test
    void credentialsCxfWouldReadOtherwiseAreCxfs() throws Exception {
        start(Duration.ofMinutes(1));
        assertThat(harness.send("GET", "/v1/server/ha/state", "viewer").statusCode()).isEqualTo(200); // cached
        String token = HttpHarness.basic("viewer", "secret").substring("Basic ".length());
        String unpadded = java.util.Base64.getEncoder().withoutPadding()
                .encodeToString("viewer:secret".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(unpadded).isNotEqualTo(token);

        // Jetty hands the scheme over as "Basic" whatever its case; CXF accepts it too
        for (String header : List.of("basic " + token, "BASIC " + token)) {
            assertThat(send(harness.request("/v1/server/ha/state", null).header("Authorization", header)).statusCode())
                    .as(header).isEqualTo(200);
        }
        long before = hot();
        for (String header : List.of("Basic  " + token, "Basic " + unpadded)) {
            HttpResponse<String> r = send(harness.request("/v1/server/ha/state", null).header("Authorization", header));
            assertThat(r.statusCode()).as(header).isEqualTo(401);
        }
        HttpResponse<String> two = send(harness.request("/v1/server/ha/state", "viewer")
                .header("Authorization", HttpHarness.basic("viewer", "secret")));
        assertThat(two.statusCode()).isEqualTo(200);
        assertThat(hot()).isEqualTo(before);
    }

    @Test
    void negotiationMethodsAndFailuresStayTheApis() throws Exception {
        start(Duration.ofMinutes(1));
        harness.send("GET", "/v1/server/ha/state", "viewer"); // the login, through CXF

        HttpResponse<String> text = send(harness.request("/v1/server/ha/state", "viewer").header("Accept", "text/plain"));
        HttpResponse<String> head = harness.send("HEAD", "/v1/server/ha/state", "viewer");
        HttpResponse<String> slash = harness.send("GET", "/v1/server/ha/state/", "viewer");
        HttpResponse<String> encoded = harness.send("GET", "/v1/server/ha/%73tate", "viewer");
        HttpResponse<String> dots = harness.send("GET", "/v1/server/x/../ha/state", "viewer");
        assertThat(hot()).isZero();
        assertThat(text.statusCode()).isEqualTo(406);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(slash.statusCode()).isEqualTo(200); // CXF matches a trailing slash
        assertThat(encoded.statusCode()).isEqualTo(404); // CXF matches the path as sent
        assertThat(dots.statusCode()).isEqualTo(404);

        HttpResponse<String> json = send(harness.request("/v1/server/ha/state", "viewer").header("Accept", "application/json"));
        assertThat(json.body()).isEqualTo("\"MASTER\"");
        assertThat(hot()).isEqualTo(1);
    }

    @Test
    void aFailingHaServiceIsReportedByCxf() throws Exception {
        start(Duration.ofMinutes(1));
        harness.send("GET", "/v1/server/ha/state", "viewer");
        ha.stateFailure = new IllegalStateException("cannot read the plane: folder gone");

        HttpHarness.assertError(harness.send("GET", "/v1/server/ha/state", "viewer"), 503);
        assertThat(hot()).isZero();
    }

    @Test
    void withoutTheLoginCacheEveryReadIsCxfs() throws Exception {
        start(Duration.ZERO);
        for (int i = 0; i < 3; i++) {
            assertThat(harness.send("GET", "/v1/server/ha/state", "viewer").body()).isEqualTo("\"MASTER\"");
        }
        assertThat(hot()).isZero();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return harness.client.send(request.GET().build(), BodyHandlers.ofString());
    }
}
