package dev.tandem.ha.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.PersistMode;

/**
 * persistMode end to end on the folder store, with the real core, the managed applications and the REST API: each
 * mode against an empty store, a store holding an application (its master stopped), and a store whose master is
 * live. The outcome is read from REST: the applications, and {@code GET /v1/server/persistence}.
 */
class PersistModeAppsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    enum Before { EMPTY, STATE, LIVE_MASTER }

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (PersistMode m : PersistMode.values()) {
            for (Before b : Before.values()) {
                out.add(Arguments.of(m, b));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "persistMode {0}, store {1}")
    @MethodSource("cases")
    void persistModeOutcome(PersistMode mode, Before before) throws Exception {
        AppsNode previous = null;
        String app = null;
        if (before != Before.EMPTY) {
            previous = new AppsNode(dir, "AUTO", PersistMode.AUTO).awaitWriter();
            app = deploy(previous);
            if (before == Before.STATE) {
                previous.close();
                previous = null;
            }
        }
        // persistMode DISABLED goes with highAvailabilityMode DISABLED only (HA needs the store)
        AppsNode node = new AppsNode(dir, mode == PersistMode.DISABLED ? "DISABLED" : "AUTO", mode);
        try {
            String expected = expectedOutcome(mode, before);
            await().atMost(Duration.ofSeconds(20)).until(() -> outcome(node).equals(expected));
            JsonNode p = persistence(node);
            assertThat(p.get("persistMode").asText()).isEqualTo(mode.name());
            assertThat(p.get("persisted").asBoolean()).isEqualTo(mode != PersistMode.DISABLED);
            switch (expected) {
                case "LOADED":
                    assertThat(appIds(node)).containsExactly(app);
                    break;
                case "EMPTY":
                    assertThat(appIds(node)).isEmpty();
                    break;
                default: // FAILED: the node says why, and the live plane (if any) is untouched
                    assertThat(node.ha.getState()).isEqualTo(ManagementNodeState.FAILED);
                    assertThat(p.get("failure").asText()).contains("persistMode " + mode + " refused");
                    assertThat(get(node, "/v1/applications").statusCode()).isEqualTo(403);
                    break;
            }
            if (mode == PersistMode.DISABLED) {
                assertThat(p.get("description").asText()).startsWith("managed state is not persisted");
                String mine = deploy(node);
                assertThat(appIds(node)).contains(mine);
                assertThat(p.get("takeover").asText()).contains("in memory only");
            }
            if (previous != null) { // a live plane: its master still has its application and still writes
                assertThat(appIds(previous)).containsExactly(app);
                assertThat(previous.ha.isActingMaster()).isTrue();
                deploy(previous);
            }
        } finally {
            node.close();
            if (previous != null) {
                previous.close();
            }
        }
        if (mode == PersistMode.DISABLED && before != Before.EMPTY) {
            // nothing was read or written: the store still holds the plane's application, as a new node sees
            AppsNode after = new AppsNode(dir, "AUTO", PersistMode.AUTO).awaitWriter();
            try {
                assertThat(appIds(after)).contains(app).hasSize(before == Before.LIVE_MASTER ? 2 : 1);
            } finally {
                after.close();
            }
        }
    }

    /** LOADED (the application deployed before), EMPTY, or FAILED. */
    private static String expectedOutcome(PersistMode mode, Before before) {
        switch (mode) {
            case AUTO:
                return before == Before.EMPTY ? "EMPTY" : "LOADED";
            case REBIND:
                return before == Before.EMPTY ? "FAILED" : "LOADED";
            case CLEAN:
                return before == Before.LIVE_MASTER ? "FAILED" : "EMPTY";
            default:
                return "EMPTY"; // DISABLED: nothing is read
        }
    }

    private String outcome(AppsNode node) throws Exception {
        if (node.ha.getState() == ManagementNodeState.FAILED) {
            return "FAILED";
        }
        HttpResponse<String> r = get(node, "/v1/applications");
        if (r.statusCode() != 200) {
            return "HTTP " + r.statusCode();
        }
        return JSON.readTree(r.body()).size() == 0 ? "EMPTY" : "LOADED";
    }

    @Test
    void cleanNeverWipesALivePlane() throws Exception {
        AppsNode master = new AppsNode(dir, "AUTO", PersistMode.AUTO).awaitWriter();
        AppsNode standby = new AppsNode(dir, "AUTO", PersistMode.AUTO);
        try {
            String app = deploy(master);
            await().atMost(Duration.ofSeconds(20)).until(() -> get(standby, "/v1/applications").statusCode() == 200
                    && appIds(standby).contains(app));
            byte[] storedBefore = storeSnapshot();
            AppsNode clean = new AppsNode(dir, "AUTO", PersistMode.CLEAN);
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> clean.ha.getState() == ManagementNodeState.FAILED);
                assertThat(clean.ha.getFailureReason()).contains("persistMode CLEAN refused")
                        .contains(master.ha.getNodeId()).contains("never wipes the state of a live plane");
                assertThat(persistence(clean).get("failure").asText()).contains("persistMode CLEAN refused");
            } finally {
                clean.close();
            }
            // the managed state in the store is byte for byte what it was, and both nodes still serve it
            assertThat(storeSnapshot()).isEqualTo(storedBefore);
            assertThat(appIds(master)).containsExactly(app);
            assertThat(appIds(standby)).containsExactly(app);
            // and the plane goes on: the standby takes over the same state
            master.close();
            await().atMost(Duration.ofSeconds(20)).until(() -> standby.runtime.writer() != null);
            assertThat(appIds(standby)).containsExactly(app);
        } finally {
            standby.close();
        }
    }

    @Test
    void haDisabledWritesAreFencedDurableAndReadBackAfterRestart() throws Exception {
        String app;
        AppsNode alone = new AppsNode(dir, "DISABLED", PersistMode.AUTO).awaitWriter();
        try {
            assertThat(alone.ha.getState()).isEqualTo(ManagementNodeState.MASTER);
            assertThat(alone.ha.getEpoch()).isEqualTo(1);
            app = deploy(alone);
            assertThat(persistence(alone).get("persisted").asBoolean()).isTrue();
            // a plane node on the same store follows it and cannot write
            AppsNode planeNode = new AppsNode(dir, "AUTO", PersistMode.AUTO);
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> planeNode.ha.getState() == ManagementNodeState.HOT_STANDBY);
                assertThat(planeNode.ha.isActingMaster()).isFalse();
            } finally {
                planeNode.close();
            }
        } finally {
            alone.close();
        }
        AppsNode restarted = new AppsNode(dir, "DISABLED", PersistMode.AUTO).awaitWriter();
        try {
            assertThat(restarted.ha.getEpoch()).isEqualTo(2);
            assertThat(appIds(restarted)).containsExactly(app);
            assertThat(persistence(restarted).get("takeover").asText()).contains("loaded the state");
        } finally {
            restarted.close();
        }
    }

    @Test
    void haDisabledRefusesAStoreWithALiveMaster() throws Exception {
        AppsNode master = new AppsNode(dir, "AUTO", PersistMode.AUTO).awaitWriter();
        try {
            String app = deploy(master);
            AppsNode alone = new AppsNode(dir, "DISABLED", PersistMode.AUTO);
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> alone.ha.getState() == ManagementNodeState.FAILED);
                assertThat(alone.ha.getFailureReason()).contains("highAvailabilityMode DISABLED refused")
                        .contains(master.ha.getNodeId());
                HttpResponse<String> write = send(alone, "POST", "/v1/applications", "application/x-yaml",
                        BrooklynRestClientTest.BLUEPRINT);
                assertThat(write.statusCode()).isEqualTo(403);
            } finally {
                alone.close();
            }
            assertThat(master.ha.isActingMaster()).isTrue();
            assertThat(appIds(master)).containsExactly(app);
        } finally {
            master.close();
        }
    }

    // ------------------------------------------------------------ helpers

    private byte[] storeSnapshot() throws Exception {
        Path values = dir.resolve("store").resolve("state");
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.walk(values)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                b.append(values.relativize(f)).append('=').append(Base64.getEncoder().encodeToString(Files.readAllBytes(f)))
                        .append('\n');
            }
        }
        return b.toString().getBytes();
    }

    private String deploy(AppsNode node) throws Exception {
        HttpResponse<String> r = send(node, "POST", "/v1/applications", "application/x-yaml", BrooklynRestClientTest.BLUEPRINT);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("entityId").asText();
    }

    private List<String> appIds(AppsNode node) throws Exception {
        HttpResponse<String> r = get(node, "/v1/applications");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        JSON.readTree(r.body()).forEach(a -> ids.add(a.get("id").asText()));
        return ids;
    }

    private JsonNode persistence(AppsNode node) throws Exception {
        HttpResponse<String> r = get(node, "/v1/server/persistence");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> get(AppsNode node, String path) throws Exception {
        return send(node, "GET", path, null, null);
    }

    private HttpResponse<String> send(AppsNode node, String method, String path, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:secret".getBytes()));
        if (type != null) {
            b.header("Content-Type", type);
        }
        b.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        return http.send(b.build(), BodyHandlers.ofString());
    }
}
