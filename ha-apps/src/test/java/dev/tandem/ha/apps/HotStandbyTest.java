package dev.tandem.ha.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.PersistMode;

/** Two nodes on one folder store: the hot standby serves a read-only copy, refuses writes, and takes over. */
class HotStandbyTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void hotStandbyServesReadsRefusesWritesAndTakesOverFromItsCopy() throws Exception {
        AppsNode master = new AppsNode(dir, "MASTER", PersistMode.AUTO).awaitWriter();
        AppsNode standby = new AppsNode(dir, "HOT_STANDBY", PersistMode.AUTO);
        AppsNode cold = new AppsNode(dir, "STANDBY", PersistMode.AUTO);
        try {
            HttpResponse<String> deployed = send(master, "POST", "/v1/applications", "application/x-yaml",
                    BrooklynRestClientTest.BLUEPRINT, false);
            assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
            String app = JSON.readTree(deployed.body()).get("entityId").asText();

            await().atMost(Duration.ofSeconds(10)).until(() -> send(standby, "GET", "/v1/applications/" + app, null, null,
                    false).statusCode() == 200);
            assertThat(standby.ha.getState()).isEqualTo(ManagementNodeState.HOT_STANDBY);
            // the hot copy's lag, in both metrics of the standby; none on the master, which keeps no copy
            JsonNode metrics = JSON.readTree(send(standby, "GET", "/v1/server/ha/metrics", null, null, false).body());
            assertThat(metrics.get("hotCopyLagMillis").isIntegralNumber()).as(metrics.toString()).isTrue();
            assertThat(metrics.get("hotCopyLagMillis").asLong()).isNotNegative().isLessThan(10_000);
            assertThat(send(standby, "GET", "/v1/server/ha/metrics/prometheus", null, null, false).body())
                    .contains("\ntandem_ha_hot_copy_lag_seconds ");
            assertThat(JSON.readTree(send(master, "GET", "/v1/server/ha/metrics", null, null, false).body())
                    .get("hotCopyLagMillis").isNull()).isTrue();
            HttpResponse<String> write = send(standby, "POST", "/v1/applications/" + app + "/entities/" + app
                    + "/sensors/x", "application/json", "1", true);
            assertThat(write.statusCode()).as(write.body()).isEqualTo(403);
            assertThat(JSON.readTree(write.body()).get("message").asText()).contains("active primary");

            HttpResponse<String> coldRead = send(cold, "GET", "/v1/applications", null, null, false);
            assertThat(coldRead.statusCode()).isEqualTo(403);
            assertThat(JSON.readTree(coldRead.body()).get("message").asText())
                    .isEqualTo("This request is only permitted against an active primary or hot standby/backup Brooklyn server");

            HttpResponse<String> bad = send(master, "POST", "/v1/applications", "application/x-yaml",
                    "services:\n- type: no.such.Type\n", false);
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(bad.body()).get("message").asText()).contains("no.such.Type")
                    .contains("org.apache.brooklyn.entity.stock.BasicEntity");
            assertThat(master.runtime.model().applications()).hasSize(1);

            int segmentsBefore = (int) standby.runtime.reader().segmentsRead();
            master.close();
            await().atMost(Duration.ofSeconds(20)).until(() -> standby.runtime.writer() != null);
            assertThat(standby.runtime.reader()).isNull();
            HttpResponse<String> invoked = send(standby, "POST", "/v1/applications/" + app + "/entities/" + app
                    + "/effectors/stop", "application/json", "{}", false);
            assertThat(invoked.statusCode()).as(invoked.body()).isEqualTo(200);
            JsonNode state = JSON.readTree(send(standby, "GET", "/v1/applications/" + app + "/entities/" + app
                    + "/sensors/service.state", null, null, false).body());
            assertThat(state.asText()).isEqualTo("stopped");
            assertThat(segmentsBefore).isPositive();
        } finally {
            cold.close();
            standby.close();
        }
    }

    private HttpResponse<String> send(AppsNode node, String method, String path, String type, String body,
            boolean allowNonMaster) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:secret".getBytes()));
        if (type != null) {
            b.header("Content-Type", type);
        }
        if (allowNonMaster) {
            b.header("Brooklyn-Allow-Non-Master-Access", "true");
        }
        b.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        return http.send(b.build(), BodyHandlers.ofString());
    }
}
