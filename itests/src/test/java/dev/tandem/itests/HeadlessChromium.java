package dev.tandem.itests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Debian's {@code chromium}, headless, driven through the Chrome DevTools Protocol over a WebSocket (the JDK's
 * client; no driver to download): open a page, evaluate JavaScript in it, read its DOM text. Installs the package
 * with apt-get if it is missing (CI runs as root). Every process it starts is killed by {@link #close()}.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Installs chromium if needed and starts it with a new, empty profile under {@code workDir}. */
    static HeadlessChromium start(Path workDir) throws Exception {
        return start(workDir, List.of());
    }

    /** As {@link #start(Path)}, with more command-line switches (e.g. --ignore-certificate-errors). */
    static HeadlessChromium start(Path workDir, List<String> extraSwitches) throws Exception {
        String binary = ensureInstalled();
        Path profile = Files.createTempDirectory(Files.createDirectories(workDir), "chromium-profile-");
        List<String> command = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--disable-default-apps", "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--remote-allow-origins=*",
                "about:blank"));
        command.addAll(command.size() - 1, extraSwitches);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("chromium.log").toFile()).start();
        try {
            // with port 0, Chromium writes the port it took into the profile
            Path portFile = profile.resolve("DevToolsActivePort");
            try {
                Awaitility.await("chromium's DevTools port").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100))
                        .until(() -> !process.isAlive() || Files.isRegularFile(portFile) && Files.readAllLines(portFile).size() >= 2);
            } catch (ConditionTimeoutException e) {
                // reported below
            }
            if (!process.isAlive() || !Files.isRegularFile(portFile) || Files.readAllLines(portFile).size() < 2) {
                throw new IOException("chromium did not open its DevTools port (see " + workDir.resolve("chromium.log") + ")");
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String targets = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            String pageSocket = null;
            for (JsonNode t : JSON.readTree(targets)) {
                if ("page".equals(t.path("type").asText())) {
                    pageSocket = t.get("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (pageSocket == null) {
                throw new IOException("chromium shows no page target: " + targets);
            }
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create(pageSocket), listener).get(10, TimeUnit.SECONDS);
            HeadlessChromium chromium = new HeadlessChromium(process, profile, socket);
            listener.owner = chromium;
            chromium.call("Page.enable", JSON.createObjectNode());
            chromium.call("Runtime.enable", JSON.createObjectNode());
            return chromium;
        } catch (Exception e) {
            kill(process);
            throw e;
        }
    }

    /** The path of Debian's chromium, installed with apt-get if it is not there. */
    static synchronized String ensureInstalled() throws IOException, InterruptedException {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        System.out.println("[chromium] not installed: apt-get install -y chromium");
        Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
        if (run(List.of("apt-get", "install", "-y", "-q", "chromium"), env) != 0) {
            run(List.of("apt-get", "update", "-q"), env);
            if (run(List.of("apt-get", "install", "-y", "-q", "chromium"), env) != 0) {
                throw new IOException("apt-get install -y chromium failed (this test needs Debian's chromium, as root)");
            }
        }
        return "/usr/bin/chromium";
    }

    private static int run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(command + " did not finish within 10 minutes");
        }
        return p.exitValue();
    }

    /** Opens a URL in the page (returns at once; wait for what the page should show with {@link #await}). */
    void navigate(String url) throws Exception {
        ObjectNode params = JSON.createObjectNode().put("url", url);
        JsonNode result = call("Page.navigate", params);
        if (result.hasNonNull("errorText")) {
            throw new IOException("cannot open " + url + ": " + result.get("errorText").asText());
        }
    }

    /** Evaluates a JavaScript expression in the page and returns its value as JSON (promises are awaited). */
    JsonNode eval(String expression) throws Exception {
        ObjectNode params = JSON.createObjectNode().put("expression", expression).put("returnByValue", true)
                .put("awaitPromise", true);
        JsonNode result = call("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            throw new IOException("JavaScript failed: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Evaluates {@code expression} every 200 ms until {@code done} accepts its value; the last value. */
    JsonNode await(String what, String expression, Predicate<JsonNode> done, Duration atMost) throws Exception {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        try {
            Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
                last.set(eval(expression));
                return done.test(last.get());
            });
            return last.get();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("page: " + what + " not seen within " + atMost + "; last value " + last.get()
                    + "; page text:\n" + eval("document.body ? document.body.innerText : ''").asText());
        }
    }

    /** The page's visible text, as a person reads it. */
    String text() throws Exception {
        return eval("document.body.innerText").asText();
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(JSON.writeValueAsString(message), true).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        try {
            JsonNode reply = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IOException(method + " failed: " + reply.get("error"));
            }
            return reply.path("result");
        } finally {
            pending.remove(id);
        }
    }

    private void received(String text) {
        try {
            JsonNode message = JSON.readTree(text);
            if (message.has("id")) {
                CompletableFuture<JsonNode> answer = pending.get(message.get("id").asInt());
                if (answer != null) {
                    answer.complete(message);
                }
            }
        } catch (IOException e) {
            System.out.println("[chromium] unreadable DevTools message: " + e);
        }
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(2, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the browser is killed below anyway
        }
        kill(process);
        try {
            KarafNode.deleteTree(profile);
        } catch (IOException | RuntimeException e) {
            System.out.println("[chromium] could not delete " + profile + ": " + e);
        }
    }

    /** Kills chromium and every process it started (zygote, renderers, GPU and network services). */
    private static void kill(Process process) {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // gone already, or not ours to wait for
            }
        }
    }

    private static final class Listener implements WebSocket.Listener {
        volatile HeadlessChromium owner;
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                HeadlessChromium o = owner;
                if (o != null) {
                    o.received(message);
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    static void save(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
