package dev.tandem.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tandem.ha.persistence.jclouds.S3ProxyServer;

/**
 * The jclouds store with real distributions against S3Proxy (an S3-compatible server, on loopback):
 * <ol>
 * <li>a node started on the default folder store, MASTER, is switched to S3Proxy by editing
 *     etc/brooklyn.cfg (a named location) and then etc/org.apache.brooklyn.osgilauncher.cfg, and becomes
 *     MASTER on S3Proxy in the same Karaf JVM; S3Proxy's credential shows neither in its REST output nor
 *     in its karaf.log;</li>
 * <li>a second distribution, configured for S3Proxy from the start, becomes HOT_STANDBY, and takes over
 *     within heartbeatTimeout + 2 x pollPeriod of a kill -9 of the master's JVM.</li>
 * </ol>
 * S3Proxy 2.6.0 ignores If-None-Match on PUT: the nodes claim mastership with the timed claim.
 */
class S3ProxyPlaneIT {

    private static final Duration POLL_PERIOD = Duration.ofSeconds(1);
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);
    /** Karaf boots in 10 to 20 s on 2 cores. */
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);
    /** The docs: MASTER on S3Proxy less than 4 s after the edits; generous for a loaded CI machine. */
    private static final Duration SWITCH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration OBSERVE_INTERVAL = Duration.ofMillis(50);
    /**
     * The timed claim's write bound W ({@code tandem.store.maxWriteLatency}; default pollPeriod / 2 = 500 ms).
     * A standby finds a dead master silent for heartbeatTimeout up to one pollPeriod after the kill (its last
     * read may have seen the master's last heartbeat after the kill), then claims: takeover within
     * heartbeatTimeout + 2 x pollPeriod needs the claim (about 2.03 W plus six requests) to fit in one
     * pollPeriod. With the default W it does not (1.07 s measured on an idle machine; takeovers of up to
     * 5.4 s seen under load), and a claim that long also eats most of a new master's 1.94 s lease. At 250 ms
     * a claim takes about 0.6 s, and W stays far above the latency of loopback writes.
     */
    private static final String MAX_WRITE_LATENCY = "250ms";
    private static final String LOCATION = "itest-s3proxy";
    private static final String PERSISTENCE_DIR = "tandem-itest/plane";

    private static Path distribution;
    private static Path work;
    private static KarafNode a;
    private static KarafNode b;
    private static S3ProxyServer s3;

    @BeforeAll
    static void unpackTheFirstNode() throws IOException {
        distribution = Path.of(System.getProperty("tandem.distribution"));
        work = Path.of(System.getProperty("tandem.itest.dir", "target")).resolve("s3proxy-plane").toAbsolutePath();
        Files.createDirectories(work);
        Path folderStore = work.resolve("folder-store");
        KarafNode.deleteTree(folderStore);
        Files.createDirectories(folderStore);
        a = KarafNode.unpack(distribution, work, "s3-node-a", folderStore, "1s", "3s", "itest", "itest-secret");
    }

    @AfterAll
    static void killEverything() {
        for (KarafNode n : new KarafNode[] {a, b}) {
            if (n != null) {
                n.killAll();
            }
        }
        if (s3 != null) {
            s3.stop();
        }
    }

    @Test
    void hotSwitchToS3ProxyThenFailoverOnKill() throws Exception {
        try {
            scenario();
        } catch (AssertionError | Exception e) {
            for (KarafNode n : new KarafNode[] {a, b}) {
                if (n != null) {
                    System.out.println("[s3proxy] ---- last lines of " + n.name() + "'s karaf.log ----\n" + n.logTail(80));
                }
            }
            throw e;
        }
    }

    private void scenario() throws Exception {
        // 1. the first node boots on the folder store; S3Proxy starts and the second node is unpacked meanwhile
        long t0 = System.nanoTime();
        a.start();
        s3 = S3ProxyServer.shared();
        String endpoint = s3.endpoint();
        b = KarafNode.unpack(distribution, work, "s3-node-b", work.resolve("folder-store"), "1s", "3s", "itest", "itest-secret");
        System.out.println("[s3proxy] " + a + ", " + b + ", S3Proxy " + endpoint);
        a.awaitState("MASTER", BOOT_TIMEOUT);
        System.out.printf("[s3proxy] %s MASTER on the folder store %.1f s after bin/start%n", a.name(), secondsSince(t0));
        assertThat(a.requireJson("/v1/server/ha/metrics").get("store").asText()).as("store of %s before the switch", a.name())
            .doesNotStartWith("s3 ");

        // 2. hot switch: brooklyn.cfg first (the location), then the launcher's store; no restart of Karaf
        ProcessHandle aJvm = a.javaProcess().orElseThrow(() -> new AssertionError(a.name() + ": no Karaf JVM found"));
        long switchedAtMillis = System.currentTimeMillis();
        KarafNode.setProperties(a.home().resolve("etc/brooklyn.cfg"), s3Location(endpoint));
        long edited = System.nanoTime();
        KarafNode.setProperties(a.home().resolve("etc/org.apache.brooklyn.osgilauncher.cfg"), s3Store());
        String s3Store = "s3 " + endpoint;
        JsonNode[] onS3 = new JsonNode[1];
        await(a.name() + " MASTER on " + s3Store).atMost(SWITCH_TIMEOUT).pollInterval(OBSERVE_INTERVAL)
            .until(() -> {
                Optional<JsonNode> m = a.json("/v1/server/ha/metrics");
                m.ifPresent(j -> onS3[0] = j);
                return m.filter(j -> j.path("store").asText().startsWith(s3Store)
                    && "MASTER".equals(j.path("state").asText())).isPresent();
            });
        long switchMillis = (System.nanoTime() - edited) / 1_000_000;
        System.out.printf("[s3proxy] switch: %s MASTER on S3Proxy %d ms after the edit of the launcher's configuration "
            + "(store \"%s\", claimMethod %s, epoch %d)%n", a.name(), switchMillis, onS3[0].path("store").asText(),
            onS3[0].path("claimMethod").asText(), onS3[0].path("epoch").asLong());
        assertThat(onS3[0].path("store").asText()).as("store of %s", a.name()).contains(PERSISTENCE_DIR);
        assertThat(a.javaProcess().map(ProcessHandle::pid)).as("%s's Karaf JVM after the switch", a.name())
            .contains(aJvm.pid());
        assertThat(aJvm.isAlive()).as("%s's Karaf JVM was not restarted", a.name()).isTrue();
        assertNoCredential(a);

        // 3. the second node, on S3Proxy from its start, finds a healthy master
        KarafNode.setProperties(b.home().resolve("etc/brooklyn.cfg"), s3Location(endpoint));
        KarafNode.setProperties(b.home().resolve("etc/org.apache.brooklyn.osgilauncher.cfg"), s3Store());
        t0 = System.nanoTime();
        b.start();
        b.awaitState("HOT_STANDBY", BOOT_TIMEOUT);
        System.out.printf("[s3proxy] %s HOT_STANDBY on S3Proxy %.1f s after bin/start%n", b.name(), secondsSince(t0));
        assertThat(b.requireJson("/v1/server/ha/metrics").get("store").asText()).as("store of %s", b.name()).startsWith(s3Store);
        await("the plane as both nodes see it, " + a.name() + " MASTER").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
            .untilAsserted(() -> {
                JsonNode m = a.requireJson("/v1/server/ha/states");
                JsonNode s = b.requireJson("/v1/server/ha/states");
                assertThat(s.get("planeId").asText()).isEqualTo(m.get("planeId").asText());
                assertThat(s.get("masterId").asText()).isEqualTo(m.get("ownId").asText());
                assertThat(m.get("masterId").asText()).isEqualTo(m.get("ownId").asText());
                assertThat(a.haState()).contains("MASTER");
                assertThat(m.get("nodes").has(s.get("ownId").asText())).as("the master sees the standby: %s", m).isTrue();
            });
        assertNoCredential(b);

        System.out.println("[s3proxy] " + a.name() + "'s state changes since the switch: "
            + changesSince(a.requireJson("/v1/server/ha/metrics"), switchedAtMillis));

        // 4. kill -9 of the master's JVM: the standby takes over within heartbeatTimeout + 2 x pollPeriod
        ProcessHandle masterJvm = a.javaProcess().orElseThrow(() -> new AssertionError(a.name() + ": no Karaf JVM found"));
        long killed = System.nanoTime();
        masterJvm.destroyForcibly();
        await(b.name() + " becomes MASTER").atMost(Duration.ofSeconds(60)).pollInterval(OBSERVE_INTERVAL)
            .until(() -> b.haState().filter("MASTER"::equals).isPresent());
        long takeoverMillis = (System.nanoTime() - killed) / 1_000_000;
        long bound = HEARTBEAT_TIMEOUT.toMillis() + 2 * POLL_PERIOD.toMillis();
        System.out.printf("[s3proxy] kill -9 %s (pid %d): %s MASTER on S3Proxy %d ms after the kill (bound %d ms)%n",
            a.name(), masterJvm.pid(), b.name(), takeoverMillis, bound);
        assertThat(masterJvm.isAlive()).as("%s's JVM after kill -9", a.name()).isFalse();
        assertThat(takeoverMillis)
            .as("%s MASTER at most heartbeatTimeout + 2 x pollPeriod after kill -9 of %s", b.name(), a.name())
            .isLessThanOrEqualTo(bound);
        long killedAtMillis = System.currentTimeMillis() - takeoverMillis;
        // the new master keeps its mastership (it renews its lease on S3Proxy)
        await(b.name() + " stays MASTER").during(HEARTBEAT_TIMEOUT).atMost(HEARTBEAT_TIMEOUT.plusSeconds(2))
            .pollInterval(Duration.ofMillis(100)).until(() -> b.haState().filter("MASTER"::equals).isPresent());
        JsonNode after = b.requireJson("/v1/server/ha/metrics");
        System.out.println("[s3proxy] " + b.name() + "'s state changes since the kill: " + changesSince(after, killedAtMillis));
        assertThat(after.get("store").asText()).as("store of %s", b.name()).startsWith(s3Store);
        assertNoCredential(b);
        assertNoCredentialInLogs(a);
    }

    /** etc/brooklyn.cfg: the named location of S3Proxy, with its credentials, and the timed claim's W. */
    private static Map<String, String> s3Location(String endpoint) {
        String key = "brooklyn.location.named." + LOCATION;
        Map<String, String> c = new LinkedHashMap<>();
        c.put(key, "jclouds:s3:" + endpoint);
        c.put(key + ".identity", S3ProxyServer.IDENTITY);
        c.put(key + ".credential", S3ProxyServer.CREDENTIAL);
        c.put(key + ".jclouds.s3.virtual-host-buckets", "false");
        c.put("tandem.store.maxWriteLatency", MAX_WRITE_LATENCY);
        return c;
    }

    /** etc/org.apache.brooklyn.osgilauncher.cfg: the store on that location. */
    private static Map<String, String> s3Store() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("persistenceLocation", LOCATION);
        c.put("persistenceDir", PERSISTENCE_DIR);
        return c;
    }

    /** The credential shows in neither the node's metrics nor its states nor its logs. */
    private static void assertNoCredential(KarafNode node) throws IOException {
        for (String path : List.of("/v1/server/ha/metrics", "/v1/server/ha/states")) {
            String body = node.get(path).filter(r -> r.statusCode() == 200)
                .orElseThrow(() -> new AssertionError(node.name() + ": GET " + path + " did not answer 200")).body();
            assertThat(body).as("%s of %s", path, node.name()).doesNotContain(S3ProxyServer.CREDENTIAL);
        }
        assertNoCredentialInLogs(node);
    }

    /** karaf.log (and any other log of data/log) holds the identity perhaps, never the credential. */
    private static void assertNoCredentialInLogs(KarafNode node) throws IOException {
        Path logs = node.home().resolve("data/log");
        assertThat(logs.resolve("karaf.log")).as("%s's karaf.log", node.name()).isRegularFile();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.list(logs)) {
            all.filter(Files::isRegularFile).forEach(files::add);
        }
        for (Path f : files) {
            String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
            assertThat(text.contains(S3ProxyServer.CREDENTIAL)).as("S3Proxy's credential in %s", f).isFalse();
        }
    }

    /** The state changes of a node's metrics history from a time on, as "FROM -> TO (epoch N, reason)". */
    private static List<String> changesSince(JsonNode metrics, long epochMillis) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : metrics.path("history")) {
            if (c.path("timestamp").asLong() >= epochMillis) {
                out.add(c.path("from").asText() + " -> " + c.path("to").asText() + " (epoch " + c.path("epoch").asLong()
                    + ", " + c.path("reason").asText() + ")");
            }
        }
        return out;
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
