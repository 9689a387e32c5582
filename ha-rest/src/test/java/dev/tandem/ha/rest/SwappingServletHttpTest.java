package dev.tandem.ha.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.junit.jupiter.api.Test;

/** Swapping the endpoint behind the servlet while a request is in the old one. */
class SwappingServletHttpTest {

    /** Answers once it is let go. */
    @Path("/slow")
    public static class SlowResource {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @GET
        @Produces(MediaType.APPLICATION_JSON)
        public String slow() throws InterruptedException {
            entered.countDown();
            return release.await(30, TimeUnit.SECONDS) ? "done" : "timed out";
        }
    }

    private final FakeHighAvailabilityService ha = new FakeHighAvailabilityService();

    @Test
    void aRequestInTheOldEndpointEndsThereAndTheOldEndpointIsClosedAfterIt() throws Exception {
        SlowResource slow = new SlowResource();
        try (HttpHarness http = new HttpHarness(ha, RestSettings.DEFAULTS, List.of(slow))) {
            CompletableFuture<HttpResponse<String>> pending = http.client.sendAsync(
                    http.request("/v1/slow", "viewer").GET().build(), BodyHandlers.ofString());
            assertThat(slow.entered.await(30, TimeUnit.SECONDS)).isTrue();

            RestEndpoint next = http.newEndpoint(ha, RestSettings.DEFAULTS, List.of());
            http.api.swap(next);
            assertThat(http.api.endpoint()).isSameAs(next);
            assertThat(http.endpoint.isClosed()).as("a request is still in it").isFalse();
            assertThat(http.send("GET", "/v1/server/ha/state", "viewer").body()).isEqualTo("\"MASTER\"");
            assertThat(http.send("GET", "/v1/slow", "viewer").statusCode()).as("not in the new endpoint").isEqualTo(404);

            slow.release.countDown();
            HttpResponse<String> answer = pending.get(30, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("done");
            await("the old endpoint is closed").atMost(Duration.ofSeconds(10)).until(http.endpoint::isClosed);
            assertThat(next.isClosed()).isFalse();
        }
    }

    @Test
    void afterCloseRequestsAre503Json() throws Exception {
        try (HttpHarness http = new HttpHarness(ha, RestSettings.DEFAULTS)) {
            http.api.close();
            assertThat(http.endpoint.isClosed()).isTrue();
            HttpHarness.assertError(http.send("GET", "/v1/server/ha/state", "viewer"), 503);
        }
    }
}
