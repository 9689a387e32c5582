package dev.tandem.itests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One Tandem distribution unpacked into its own folder and run as a separate process with
 * {@code bin/start} and {@code bin/stop}, as an operator would.
 */
final class KarafNode {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** bin/stop waits up to 60 s for the JVM to exit (KARAF_STOP_TIMEOUT): give it more than that. */
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private final String name;
    private final Path home;
    private final int httpPort;
    private final String authorization;

    private KarafNode(String name, Path home, int httpPort, String user, String password) {
        this.name = name;
        this.home = home;
        this.httpPort = httpPort;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Unpacks the distribution to {@code parent/name} and gives it its own ports, the shared store
     * folder, the HA timing and a user.
     */
    static KarafNode unpack(Path distribution, Path parent, String name, Path sharedStore,
                            String pollPeriod, String heartbeatTimeout, String user, String password) throws IOException {
        Path home = parent.resolve(name);
        deleteTree(home);
        Path unpackDir = Files.createDirectories(parent.resolve(name + ".unpack"));
        run(List.of("tar", "xzf", distribution.toString(), "-C", unpackDir.toString()), parent, parent.resolve(name + ".unpack.log"));
        try (var top = Files.list(unpackDir)) {
            Path root = top.filter(Files::isDirectory).findFirst()
                .orElseThrow(() -> new IllegalStateException(distribution + " holds no top folder"));
            Files.move(root, home);
        }
        Files.delete(unpackDir);

        int httpPort = FreePorts.next();
        Path etc = home.resolve("etc");
        // loopback only; the node then publishes http://127.0.0.1:PORT (its listening address)
        setProperties(etc.resolve("org.ops4j.pax.web.cfg"), Map.of("org.osgi.service.http.port", Integer.toString(httpPort),
            "org.ops4j.pax.web.listening.addresses", "127.0.0.1"));
        setProperty(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", Integer.toString(FreePorts.next()));
        setProperty(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort", Integer.toString(FreePorts.next()));
        setProperty(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort", Integer.toString(FreePorts.next()));
        setProperty(etc.resolve("system.properties"), "karaf.name", name);
        setProperty(etc.resolve("org.apache.brooklyn.osgilauncher.cfg"), "persistenceDir", sharedStore.toString());
        setProperty(etc.resolve("brooklyn.cfg"), "brooklyn.ha.pollPeriod", pollPeriod);
        setProperty(etc.resolve("brooklyn.cfg"), "brooklyn.ha.heartbeatTimeout", heartbeatTimeout);
        // as documented in etc/users.properties
        Files.writeString(etc.resolve("users.properties"), user + " = " + password + ",_g_:admingroup\n",
            StandardOpenOption.APPEND);
        return new KarafNode(name, home, httpPort, user, password);
    }

    String name() {
        return name;
    }

    Path home() {
        return home;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    /** bin/start: returns once the script has put Karaf into the background. */
    void start() throws IOException {
        start(Map.of());
    }

    /** bin/start with more environment variables (e.g. configuration overrides). */
    void start(Map<String, String> environment) throws IOException {
        run(List.of(home.resolve("bin/start").toString()), home, home.resolve("scripts.log"), environment);
    }

    /** bin/stop: returns once the node's JVM has exited (the distribution's bin/stop waits for it). */
    void stop() throws IOException {
        run(List.of(home.resolve("bin/stop").toString()), home, home.resolve("scripts.log"));
    }

    /** The Karaf JVM of this node, if it runs (found by its -Dkaraf.base, as pgrep -f would). */
    Optional<ProcessHandle> javaProcess() {
        String marker = "-Dkaraf.base=" + home;
        return ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
            .findFirst();
    }

    /** kill -9 of every process of this node (the JVM and the bin/karaf shell around it). */
    void killAll() {
        String base = "-Dkaraf.base=" + home;
        String script = home.resolve("bin").toString();
        List<ProcessHandle> mine = ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().map(c -> c.contains(base) || c.contains(script)).orElse(false))
            .collect(Collectors.toList());
        mine.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : mine) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // best effort: the process may be gone already, or not ours to wait for
            }
        }
    }

    /** GET /v1/server/ha/state: the state name, or empty while the node does not answer 200. */
    Optional<String> haState() {
        return stateOf(get("/v1/server/ha/state"));
    }

    /** The state a 200 answer of {@code GET /v1/server/ha/state} names; empty for anything else. */
    private static Optional<String> stateOf(Optional<HttpResponse<String>> answer) {
        return answer.filter(r -> r.statusCode() == 200).map(r -> r.body().trim().replace("\"", ""));
    }

    /** Waits until {@code GET /v1/server/ha/state} says {@code state}. */
    void awaitState(String state, Duration atMost) {
        java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic.AtomicReference<>("none");
        try {
            await(name + " reports " + state).atMost(atMost).pollInterval(Duration.ofMillis(250)).until(() -> {
                Optional<HttpResponse<String>> r = get("/v1/server/ha/state");
                last.set(r.map(a -> a.statusCode() + " " + a.body().trim()).orElse("no answer"));
                return stateOf(r).filter(state::equals).isPresent();
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(name + " did not report " + state + " within " + atMost + "; last answer of "
                + "GET /v1/server/ha/state: " + last.get(), e);
        }
    }

    /** A JSON resource, if it answers 200 (an answer that is not JSON fails the test). */
    Optional<JsonNode> json(String path) {
        return get(path).filter(r -> r.statusCode() == 200).map(r -> {
            try {
                return JSON.readTree(r.body());
            } catch (IOException e) {
                throw new AssertionError(name + ": " + path + " is not JSON: " + r.body(), e);
            }
        });
    }

    /** A JSON resource that must answer 200. */
    JsonNode requireJson(String path) {
        return json(path).orElseThrow(() -> new AssertionError(name + ": GET " + path + " did not answer 200"));
    }

    /** GET with basic auth; empty if nothing answers. */
    Optional<HttpResponse<String>> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(2))
            .header("Authorization", authorization).GET().build();
        try {
            return Optional.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException notAnswering) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** SIGCONT (a SIGSTOPped JVM dies of SIGKILL too, but nothing is left paused), then kills each node's processes. */
    static void resumeAndKillAll(List<KarafNode> nodes) {
        for (KarafNode n : nodes) {
            try {
                n.javaProcess().ifPresent(p -> Signals.send(p, "CONT"));
            } catch (RuntimeException gone) {
                // exited meanwhile: nothing to resume
            }
            n.killAll();
        }
    }

    /** Prints the last lines of each node's karaf.log, tagged, after a failure. */
    static void printLogTails(String tag, List<KarafNode> nodes, int lines) {
        for (KarafNode n : nodes) {
            System.out.println("[" + tag + "] ---- last lines of " + n.name() + "'s karaf.log ----\n" + n.logTail(lines));
        }
    }

    /** The last lines of the node's karaf.log, for failure messages. */
    String logTail(int lines) {
        Path log = home.resolve("data/log/karaf.log");
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no " + log + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return name + " (" + home + ", http " + httpPort + ")";
    }

    /** Sets {@code key = value} in a .cfg/.properties file: replaces the uncommented line, else appends. */
    static void setProperty(Path file, String key, String value) throws IOException {
        setProperties(file, Map.of(key, value));
    }

    /**
     * Sets several {@code key = value} in a .cfg/.properties file in one change, as {@link #setProperty}
     * does for one (new keys are appended in the map's order). The file is replaced atomically, so that
     * Karaf's file install, which may read it at any moment while Karaf runs, sees it before or after.
     */
    static void setProperties(Path file, Map<String, String> values) throws IOException {
        Map<String, Pattern> lines = new LinkedHashMap<>();
        values.keySet().forEach(k -> lines.put(k, Pattern.compile("^\\s*" + Pattern.quote(k) + "\\s*[=:].*$")));
        List<String> out = new ArrayList<>();
        Set<String> replaced = new HashSet<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Optional<String> key = lines.entrySet().stream()
                .filter(e -> !replaced.contains(e.getKey()) && e.getValue().matcher(l).matches())
                .map(Map.Entry::getKey).findFirst();
            if (key.isPresent()) {
                out.add(key.get() + " = " + values.get(key.get()));
                replaced.add(key.get());
            } else {
                out.add(l);
            }
        }
        lines.keySet().stream().filter(k -> !replaced.contains(k)).forEach(k -> out.add(k + " = " + values.get(k)));
        // a name file install does not watch (its filter wants .cfg, .config or .json at the end)
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(temp, out, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void run(List<String> command, Path dir, Path log) throws IOException {
        run(command, dir, log, Map.of());
    }

    private static void run(List<String> command, Path dir, Path log, Map<String, String> environment) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(environment);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // bin/start sends Karaf's console output to /dev/null unless told otherwise
        pb.environment().put("KARAF_REDIRECT", dir.resolve("console.log").toString());
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        try {
            if (!p.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " did not finish within " + SCRIPT_TIMEOUT);
            }
            if (p.exitValue() != 0) {
                throw new IOException(command + " exited with " + p.exitValue() + ", see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
