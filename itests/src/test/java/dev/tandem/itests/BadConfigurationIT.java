package dev.tandem.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real distribution with bad values in both .cfg files: the node stays out of the plane (FAILED, no
 * store records), logs each bad key with its value and the accepted values, and comes up as soon as
 * the files are fixed, without a restart; a later bad edit is refused and the running node kept.
 */
class BadConfigurationIT {
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KarafNode node;
    private static Path store;

    @BeforeAll
    static void unpack() throws IOException {
        Path distribution = Path.of(System.getProperty("tandem.distribution"));
        Path work = Path.of(System.getProperty("tandem.itest.dir", "target")).resolve("badconfig").toAbsolutePath();
        Files.createDirectories(work);
        store = work.resolve("store");
        KarafNode.deleteTree(store);
        Files.createDirectories(store);
        node = KarafNode.unpack(distribution, work, "node-bad", store, "1s", "soon", "itest", "itest-secret");
        KarafNode.setProperty(node.home().resolve("etc/org.apache.brooklyn.osgilauncher.cfg"), "highAvailabilityMode", "LEADER");
    }

    @AfterAll
    static void kill() {
        if (node != null) {
            node.killAll();
        }
    }

    @Test
    void badValuesAreNamedAndTheNodeNeverHalfRuns() throws Exception {
        try {
            scenario();
        } catch (AssertionError | RuntimeException e) {
            System.out.println("[badconfig] ---- last lines of karaf.log ----\n" + node.logTail(80));
            throw e;
        }
    }

    private void scenario() throws Exception {
        node.start();
        // the REST API answers INITIALIZING until the HA service has read its configuration
        await("REST answers a state").atMost(BOOT_TIMEOUT).pollInterval(Duration.ofMillis(250))
            .until(() -> node.haState().filter(s -> !s.equals("INITIALIZING")).isPresent());
        assertThat(node.haState()).contains("FAILED");
        assertThat(body("/v1/server/healthy")).isEqualTo("false");
        await("the log names both bad keys").atMost(Duration.ofSeconds(10)).until(() -> log().contains(
            "highAvailabilityMode='LEADER' is not valid; accepted: DISABLED, AUTO, MASTER, STANDBY, HOT_STANDBY, HOT_BACKUP (any case)")
            && log().contains("brooklyn.ha.heartbeatTimeout='soon' is not valid; accepted: a duration such as 500ms"));
        try (var files = Files.list(store)) {
            assertThat(files).as("nothing written to the store while misconfigured").isEmpty();
        }

        // fixing the files brings the node into the plane without restarting Karaf
        KarafNode.setProperty(node.home().resolve("etc/org.apache.brooklyn.osgilauncher.cfg"), "highAvailabilityMode", "auto");
        KarafNode.setProperty(node.home().resolve("etc/brooklyn.cfg"), "brooklyn.ha.heartbeatTimeout", "30s");
        await("MASTER after the fix").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
            .until(() -> node.haState().equals(Optional.of("MASTER")));
        assertThat(Files.isDirectory(store.resolve("plane/nodes"))).isTrue();
        String ownId = JSON.readTree(body("/v1/server/ha/states")).get("ownId").asText();

        // a bad edit of the running node is refused; the node keeps running with its previous configuration
        KarafNode.setProperty(node.home().resolve("etc/brooklyn.cfg"), "brooklyn.ha.pollPeriod", "often");
        await("the refusal is logged").atMost(Duration.ofSeconds(30)).until(() -> log().contains(
            "configuration change refused, keeping the previous configuration: brooklyn.ha.pollPeriod='often' is not valid"));
        assertThat(node.haState()).contains("MASTER");
        assertThat(JSON.readTree(body("/v1/server/ha/states")).get("ownId").asText()).isEqualTo(ownId);
        System.out.println("[badconfig] refused at start, joined after the fix, kept running after a bad edit");
    }

    private static String body(String path) {
        return node.get(path).map(r -> r.body().trim()).orElse("");
    }

    private static String log() throws IOException {
        Path log = node.home().resolve("data/log/karaf.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }
}
