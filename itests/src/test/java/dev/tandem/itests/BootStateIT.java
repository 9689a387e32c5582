package dev.tandem.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A node started with {@code bin/start} is asked {@code GET /v1/server/ha/state} (with credentials) every ~20 ms from
 * the moment the script is run until it says MASTER. Before the HTTP port opens nothing answers (connection refused);
 * after that every answer is 503 "The node is starting" (the port is open, the REST servlet not mapped yet) or 200
 * with a state: INITIALIZING until the HA service runs, then the real state. Never 404.
 *
 * <p>Twice: the first start of a fresh unpack and a restart, both of whose JVMs map their classes from the class data
 * archive that the distribution ships ({@code bin/setenv}); neither writes one of its own. Neither logs a class that
 * cannot be found (the distribution runs without Karaf's JDK module patches). Karaf's ssh server starts after the node has
 * taken its first state (the distribution's boot gate), and accepts connections.
 */
class BootStateIT {
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(240);
    private static final long SAMPLE_EVERY_MILLIS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> REAL_BEFORE_MASTER = Set.of("HOT_STANDBY", "MASTER");

    private static KarafNode node;

    /** One answer (or its absence) and when it came, in ms from bin/start. */
    private record Sample(long atMillis, int status, String body) {
        @Override
        public String toString() {
            return "+" + atMillis + " ms " + (status == 0 ? "no answer" : status + " " + body);
        }
    }

    @BeforeAll
    static void unpack() throws IOException {
        Path distribution = Path.of(System.getProperty("tandem.distribution"));
        Path work = Path.of(System.getProperty("tandem.itest.dir", "target")).resolve("bootstate").toAbsolutePath();
        Files.createDirectories(work);
        Path store = work.resolve("store");
        KarafNode.deleteTree(store);
        Files.createDirectories(store);
        node = KarafNode.unpack(distribution, work, "node-boot", store, "1s", "3s", "itest", "itest-secret");
    }

    @AfterAll
    static void kill() {
        if (node != null) {
            node.killAll();
        }
    }

    @Test
    void theStateNeverAnswers404FromBinStartToMasterAtTheFirstStartAndAtARestart() throws Exception {
        bootAndCheck("first start");
        String shipped = shippedArchiveInUse("first start");
        node.stop();
        Path cds = node.home().resolve("data/cds");
        if (Files.isDirectory(cds)) {
            try (var files = Files.list(cds)) {
                assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".jsa")))
                        .as("no archive of its own written by a JVM that had the shipped one").isEmpty();
            }
        }

        bootAndCheck("restart");
        assertThat(shippedArchiveInUse("restart")).isEqualTo(shipped);
        assertThat(Files.readString(node.home().resolve("data/log/karaf.log")))
                .doesNotContain("ClassNotFoundException").doesNotContain("NoClassDefFoundError");
        sshStartedAfterTheNodesFirstState();
    }

    /**
     * The node's JVM was given the class data archive that the distribution ships (lib/cds, bin/setenv), and that
     * archive maps: the same JVM with the node's own options and class path, from the node's folder, and
     * {@code -Xshare:on} (which makes a JVM that cannot use its archive fail instead of running without it) starts.
     * Returns the archive's option.
     */
    private static String shippedArchiveInUse(String which) throws IOException, InterruptedException {
        ProcessHandle jvm = node.javaProcess().orElseThrow();
        List<String> arguments = List.of(jvm.info().arguments().orElseThrow());
        assumeTrue(Files.isDirectory(node.home().resolve("lib/cds")), "the distribution was built with -Dtandem.cds.skip");
        String option = "-XX:SharedArchiveFile=lib/cds/tandem-"; // relative to KARAF_HOME, the JVM's working folder
        assertThat(arguments).as(which + ": the JVM's options").anyMatch(a -> a.startsWith(option) && a.endsWith(".jsa"))
                .noneMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit="));
        List<String> probe = new ArrayList<>(List.of(jvm.info().command().orElseThrow(), "-Xshare:on"));
        for (String a : arguments) {
            if (a.equals("org.apache.karaf.main.Main")) {
                break;
            }
            probe.add(a);
        }
        probe.add("-version");
        Process p = new ProcessBuilder(probe).directory(node.home().toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(which + ": the JVM with -Xshare:on and the node's options: " + out).isZero();
        String archive = arguments.stream().filter(a -> a.startsWith(option)).findFirst().orElseThrow();
        Path maps = Path.of("/proc", Long.toString(jvm.pid()), "maps");
        if (Files.isReadable(maps)) {
            assertThat(Files.readString(maps)).as(which + ": the node's JVM has the archive mapped")
                    .contains(node.home().resolve(archive.substring("-XX:SharedArchiveFile=".length())).toRealPath().toString());
        }
        return archive;
    }

    /**
     * The boot gate (ha-boot, start level 91) held Karaf's ssh server and shell commands (start level 95) until the node
     * had taken its first state, and then let them start: the restart's karaf.log has the gate's line before the ssh
     * bundle's command registration and none of that registration before it, and the ssh port accepts connections.
     */
    private void sshStartedAfterTheNodesFirstState() throws IOException {
        Path log = node.home().resolve("data/log/karaf.log");
        String sshCommands = "Registering commands for bundle org.apache.karaf.shell.ssh";
        await("the ssh server's commands registered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    String text = Files.readString(log);
                    return text.indexOf(sshCommands, Math.max(0, text.lastIndexOf("Tandem boot: "))) > 0;
                });
        String text = Files.readString(log);
        assertThat(text).as("the gate never waited out its timeout").doesNotContain("has taken no state");
        int bootStart = text.lastIndexOf("Logging initialized"); // Jetty's first line: start level 30 of the restart
        assertThat(bootStart).as("Jetty's first line of the restart").isPositive();
        int gate = text.indexOf("Tandem boot: the node is ", bootStart);
        assertThat(gate).as("the boot gate's line in the restart's part of karaf.log").isPositive();
        java.util.regex.Matcher waited = java.util.regex.Pattern.compile("\\((\\d+) ms at start level 91\\)")
                .matcher(text.substring(gate, text.indexOf('\n', gate)));
        assertThat(waited.find()).as("the gate's line says how long it waited").isTrue();
        assertThat(Long.parseLong(waited.group(1))).as("ms the gate waited (its timeout is 10 s)").isLessThan(5_000);
        assertThat(text.substring(bootStart, gate)).as("nothing of the ssh bundle before the gate opened")
                .doesNotContain(sshCommands);
        assertThat(text.indexOf(sshCommands, gate)).as("the ssh bundle's commands after the gate opened").isPositive();
        java.util.Properties shell = new java.util.Properties();
        try (var in = Files.newInputStream(node.home().resolve("etc/org.apache.karaf.shell.cfg"))) {
            shell.load(in);
        }
        int sshPort = Integer.parseInt(shell.getProperty("sshPort").trim());
        await("the ssh port accepting connections").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> {
                    try (java.net.Socket s = new java.net.Socket("127.0.0.1", sshPort)) {
                        return s.isConnected();
                    }
                });
    }

    private void bootAndCheck(String which) throws Exception {
        List<Sample> samples = java.util.Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        Thread starter = new Thread(() -> {
            try {
                node.start();
            } catch (IOException e) {
                throw new IllegalStateException("bin/start failed", e);
            }
        }, "bin-start");
        starter.start();
        try {
            sampleUntilMaster(samples, t0);
        } catch (AssertionError | RuntimeException e) {
            System.out.println("[bootstate] samples: " + changes(samples) + "\n---- last lines of karaf.log ----\n"
                    + node.logTail(60));
            throw e;
        } finally {
            starter.join(TimeUnit.SECONDS.toMillis(90));
        }
        List<String> changes = changes(samples);
        Sample firstAnswer = samples.stream().filter(s -> s.status() != 0).findFirst().orElseThrow();
        Sample firstState = samples.stream().filter(s -> s.status() == 200).findFirst().orElseThrow();
        Sample master = samples.get(samples.size() - 1);
        System.out.printf("[bootstate] %s: bin/start -> first answer %d ms, first state (%s) %d ms, MASTER %d ms;"
                + " %d samples; load average %s; changes: %s%n", which, firstAnswer.atMillis(), firstState.body(),
                firstState.atMillis(),
                master.atMillis(), samples.size(), loadAverage(), changes);

        assertThat(samples).as(which + ": no 404 while the node starts: " + changes).noneMatch(s -> s.status() == 404);
        assertThat(samples).as("only 503 (starting) or 200 answers: " + changes)
                .allMatch(s -> s.status() == 0 || s.status() == 503 || s.status() == 200);
        samples.stream().filter(s -> s.status() == 503).forEach(s ->
                assertThat(s.body()).as("503 " + s).contains("\"message\":\"The node is starting\""));
        // INITIALIZING first (or straight to a real state), then real states only, ending in MASTER
        List<String> states = samples.stream().filter(s -> s.status() == 200).map(Sample::body).toList();
        int firstReal = 0;
        while (firstReal < states.size() && states.get(firstReal).equals("INITIALIZING")) {
            firstReal++;
        }
        assertThat(states.subList(firstReal, states.size())).as("states after INITIALIZING: " + changes)
                .isNotEmpty().allMatch(REAL_BEFORE_MASTER::contains);
        assertThat(states.get(states.size() - 1)).isEqualTo("MASTER");
    }

    private static void sampleUntilMaster(List<Sample> samples, long t0) {
        await("MASTER, sampled from bin/start on").atMost(BOOT_TIMEOUT).pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(SAMPLE_EVERY_MILLIS)).until(() -> {
                long at = (System.nanoTime() - t0) / 1_000_000;
                Optional<HttpResponse<String>> r = node.get("/v1/server/ha/state");
                Sample sample = r.map(a -> new Sample(at, a.statusCode(), body(a))).orElse(new Sample(at, 0, ""));
                samples.add(sample);
                return sample.status() == 200 && sample.body().equals("MASTER");
            });
    }

    /** A state as its name (the JSON string's value); anything else as it came. */
    private static String body(HttpResponse<String> r) {
        String text = r.body().trim();
        if (r.statusCode() == 200) {
            try {
                JsonNode json = JSON.readTree(text);
                if (json.isTextual()) {
                    return json.asText();
                }
            } catch (IOException notJson) {
                // kept as it came: the assertions show it
            }
        }
        return text.length() > 120 ? text.substring(0, 120) : text;
    }

    /** Each sample whose answer differs from the one before. */
    private static List<String> changes(List<Sample> samples) {
        List<String> out = new ArrayList<>();
        Sample previous = null;
        for (Sample s : samples) {
            if (previous == null || previous.status() != s.status() || !previous.body().equals(s.body())) {
                out.add(s.toString());
            }
            previous = s;
        }
        return out;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
