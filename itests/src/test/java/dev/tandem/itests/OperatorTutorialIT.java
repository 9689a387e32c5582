package dev.tandem.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the README tells an operator to type, run verbatim against two real distributions: the curl lines of the
 * section marked {@code tutorial} (Brooklyn's HA commands) and the {@code bin/client} lines of the section marked
 * {@code shell}. Then, on the same nodes: the Prometheus text of a real node through {@code promtool}, the MXBean
 * over Karaf's JMX connector, and Brooklyn's {@code /server/shutdown} really stopping Karaf.
 *
 * <p>Each curl line runs in bash with {@code curl} wrapped as {@code curl --fail-with-body -sS}, so that an HTTP
 * error fails it; the README's {@code $NODE1}, {@code $AUTH1}, {@code $NODE2}, {@code $AUTH2} are set to the test
 * nodes. A line with {@code # => TEXT} must print TEXT; a read is retried for up to 30 s, since a state change
 * reaches the other node within a poll period or two.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorTutorialIT {

    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String USER = "admin";

    private static Path work;
    private static KarafNode one;
    private static KarafNode two;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        Path distribution = Path.of(System.getProperty("tandem.distribution"));
        work = Path.of(System.getProperty("tandem.itest.dir", "target")).resolve("operator-tutorial").toAbsolutePath();
        Files.createDirectories(work);
        Path store = work.resolve("shared-store");
        KarafNode.deleteTree(store);
        Files.createDirectories(store);
        one = KarafNode.unpack(distribution, work, "node1", store, "1s", "3s", USER, password("node1"));
        two = KarafNode.unpack(distribution, work, "node2", store, "1s", "3s", USER, password("node2"));
        for (KarafNode n : List.of(one, two)) {
            // as scripts/run-node.sh keeps it, for the README's $(cat .../admin-password.txt)
            Files.writeString(n.home().resolve("admin-password.txt"), password(n.name()) + "\n");
        }
        // the README's shell lines start with "cd target/nodes/node1": run them from a folder where that is node1
        Path nodes = Files.createDirectories(work.resolve("cwd/target/nodes"));
        Files.deleteIfExists(nodes.resolve("node1"));
        Files.createSymbolicLink(nodes.resolve("node1"), one.home());
        try {
            one.start();
            one.awaitState("MASTER", BOOT_TIMEOUT);
            two.start();
            two.awaitState("HOT_STANDBY", BOOT_TIMEOUT);
        } catch (Throwable e) {
            dumpLogs();
            throw e;
        }
    }

    @AfterAll
    static void killEverything() {
        for (KarafNode n : new KarafNode[] {one, two}) {
            if (n != null) {
                n.killAll();
            }
        }
    }

    private static String password(String node) {
        return "pw-" + node + "-tutorial";
    }

    // ------------------------------------------------------------------ the README, verbatim

    @Test
    @Order(1)
    void theTutorialsCurlCommandsRunVerbatim() throws Exception {
        List<ReadmeCommands.Command> commands = ReadmeCommands.section("tutorial");
        String all = String.join("\n", commands.stream().map(ReadmeCommands.Command::line).toList());
        // Brooklyn's HA tutorial: state, states, priority read and set with the header, mode set
        assertThat(all).contains("/v1/server/ha/state ", "/v1/server/ha/states", "/v1/server/ha/priority",
                "Brooklyn-Allow-Non-Master-Access: true", "-d priority=", "-d mode=");

        Map<String, String> env = Map.of("NODE1", one.uri("").toString(), "AUTH1", USER + ":" + password("node1"),
                "NODE2", two.uri("").toString(), "AUTH2", USER + ":" + password("node2"));
        for (ReadmeCommands.Command c : commands) {
            String script = "curl() { command curl --fail-with-body -sS \"$@\"; }\n" + c.line();
            if (c.expected() != null && !c.changesSomething()) {
                Shell.Result r = await(c.line()).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> Shell.bash(script, work, env), res -> res.exitCode() == 0
                                && res.hasLine(c.expected()));
                System.out.println("[tutorial] " + c.line() + "\n  " + r.output().trim());
            } else {
                Shell.Result r = Shell.bash(script, work, env);
                System.out.println("[tutorial] " + c.line() + "\n  " + abbreviate(r.output().trim()));
                assertThat(r.exitCode()).as("%s printed:\n%s", c.line(), r.output()).isZero();
                if (c.expected() != null) {
                    assertThat(r.hasLine(c.expected())).as("%s printed:\n%s", c.line(), r.output()).isTrue();
                }
            }
        }
        // what the commands did
        assertThat(one.haState()).hasValue("HOT_STANDBY");
        assertThat(two.haState()).hasValue("MASTER");
        assertThat(get(two, "/v1/server/ha/priority").body()).isEqualTo("10");
    }

    @Test
    @Order(2)
    void theShellExampleRunsVerbatimWithBinClient() throws Exception {
        List<ReadmeCommands.Command> commands = ReadmeCommands.section("shell");
        assertThat(commands).extracting(ReadmeCommands.Command::line).anyMatch(l -> l.contains("bin/client"));
        // one script, as typed into one shell (the first line cd's and sets a variable); each line's output is
        // framed so that its expectation is checked against it alone
        StringBuilder script = new StringBuilder("set -e\n");
        for (int i = 0; i < commands.size(); i++) {
            script.append("echo '@@").append(i).append("'\n").append(commands.get(i).line()).append('\n');
        }
        script.append("echo '@@end'\n");
        Shell.Result r = Shell.bash(script.toString(), work.resolve("cwd"), Map.of());
        System.out.println("[shell] " + r.output());

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).doesNotContain("Closed").contains("@@end");
        for (int i = 0; i < commands.size(); i++) {
            String expected = commands.get(i).expected();
            if (expected != null) {
                String out = r.output().substring(r.output().indexOf("@@" + i + "\n"),
                        r.output().indexOf(i + 1 < commands.size() ? "@@" + (i + 1) + "\n" : "@@end"));
                assertThat(new Shell.Result(0, out).hasLine(expected)).as("%s printed:\n%s", commands.get(i).line(), out)
                        .isTrue();
            }
        }
        // the README's "echo 'ha:priority 6' | bin/client ..." was applied
        assertThat(get(one, "/v1/server/ha/priority").body()).isEqualTo("6");
    }

    // ------------------------------------------------------------------ monitoring on a real node

    @Test
    @Order(3)
    void aRealNodesPrometheusTextPassesPromtool() throws Exception {
        HttpResponse<String> r = get(two, "/v1/server/ha/metrics/prometheus");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("tandem_ha_state{state=\"MASTER\"} 1\n", "tandem_ha_acting_master 1\n",
                "tandem_ha_master_changes_total{direction=\"gained\"} 1\n", "tandem_ha_claim_method{method=\"ATOMIC\"} 1\n",
                "tandem_ha_store_request_duration_seconds_bucket{kind=\"put\",le=\"+Inf\"}");

        Path root = ReadmeCommands.readme().getParent();
        Shell.Result ensure = Shell.bash("bash scripts/ensure-promtool.sh", root, Map.of());
        if (ensure.exitCode() == 3) {
            System.out.println("[promtool] SKIPPED: " + ensure.output());
            Assumptions.abort("promtool cannot be installed here: " + ensure.output());
        }
        assertThat(ensure.exitCode()).as(ensure.output()).isZero();
        Path text = work.resolve("node2-metrics.txt");
        Files.writeString(text, r.body(), StandardCharsets.UTF_8);
        String[] lines = ensure.output().trim().split("\n");
        Shell.Result check = Shell.bash("\"$PROMTOOL\" check metrics < \"$TEXT\"", work,
                Map.of("PROMTOOL", lines[lines.length - 1].trim(), "TEXT", text.toString()));
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).isBlank();
    }

    @Test
    @Order(4)
    void theMBeanIsInKarafsMBeanServer() throws Exception {
        Properties management = new Properties();
        try (var in = Files.newInputStream(two.home().resolve("etc/org.apache.karaf.management.cfg"))) {
            management.load(in);
        }
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi://127.0.0.1:" + management.getProperty("rmiServerPort").trim()
                + "/jndi/rmi://127.0.0.1:" + management.getProperty("rmiRegistryPort").trim() + "/karaf-" + two.name());
        Map<String, Object> credentials = new HashMap<>();
        credentials.put(JMXConnector.CREDENTIALS, new String[] {USER, password("node2")});
        ObjectName name = new ObjectName("dev.tandem:type=HighAvailability");
        try (JMXConnector connector = JMXConnectorFactory.connect(url, credentials)) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            assertThat(server.getAttribute(name, "State")).isEqualTo("MASTER");
            assertThat(server.getAttribute(name, "ActingMaster")).isEqualTo(true);
            assertThat((Long) server.getAttribute(name, "MasterGained")).isEqualTo(1L);
            assertThat(server.getAttribute(name, "NodeId")).isEqualTo(
                    JSON.readTree(get(two, "/v1/server/ha/states").body()).get("ownId").asText());
        }
    }

    // ------------------------------------------------------------------ Brooklyn's shutdown

    @Test
    @Order(5)
    void shutdownOverRestStopsKarafAfterAnswering() throws Exception {
        ProcessHandle karaf = one.javaProcess().orElseThrow(() -> new AssertionError("node1's JVM is not running"));
        String oneId = JSON.readTree(get(one, "/v1/server/ha/states").body()).get("ownId").asText();
        HttpResponse<String> refused = post(one, "/v1/server/shutdown", "stopAppsFirst=true");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).get("message").asText())
                .isEqualTo("Not allowed to stop all apps when server is not master");
        assertThat(karaf.isAlive()).isTrue();

        // node1 is a standby: shutdown needs no header there, as in Brooklyn
        HttpResponse<String> r = post(one, "/v1/server/shutdown", "delayForHttpReturn=1s");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        assertThat(get(one, "/v1/server/shuttingDown").body()).isEqualTo("true");

        karaf.onExit().get(60, TimeUnit.SECONDS);
        assertThat(karaf.isAlive()).isFalse();
        await("node1 recorded TERMINATED").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> JSON.readTree(get(two, "/v1/server/ha/states").body()).get("nodes").get(oneId)
                        .get("status").asText().equals("TERMINATED"));
        assertThat(two.haState()).hasValue("MASTER");
    }

    // ------------------------------------------------------------------ helpers

    private static String basic(KarafNode node) {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + password(node.name()))
                .getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(KarafNode node, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(node.uri(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", basic(node)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(KarafNode node, String path, String form)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(node.uri(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", basic(node)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static void dumpLogs() {
        for (KarafNode n : new KarafNode[] {one, two}) {
            if (n != null) {
                System.out.println("---- " + n + " karaf.log ----\n" + n.logTail(80));
            }
        }
    }

    /** bash, with a bounded wait. */
    static final class Shell {
        record Result(int exitCode, String output) {
            boolean hasLine(String expected) {
                return output.lines().map(String::strip).anyMatch(expected::equals);
            }
        }

        static Result bash(String script, Path dir, Map<String, String> env) throws IOException, InterruptedException {
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().putAll(env);
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Path out = Files.createTempFile(dir, "shell", ".out");
            pb.redirectOutput(out.toFile());
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("bash -c '" + script + "' did not finish within 120 s");
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            Files.delete(out);
            return new Result(p.exitValue(), output);
        }
    }
}
