package dev.tandem.itests;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Asks every node for GET /v1/server/ha/state every {@link #INTERVAL}, all nodes of a round at once, and
 * writes each round to a log file: {@code +seconds round node=STATE(ms) ...}, "-" for no answer within
 * {@link #TIMEOUT} (a SIGSTOPped JVM accepts the connection but never answers), with the test's events
 * in between as {@code # ...} lines. Keeps every sample for checks at the end of the test.
 */
final class StateSampler implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofMillis(100);
    static final Duration TIMEOUT = Duration.ofMillis(500);

    /** One node's answer in one round; times are System.nanoTime(). */
    record Sample(long round, String node, long sent, long received, String answer, boolean paused) {
        boolean master() {
            return "MASTER".equals(answer);
        }
    }

    private final List<KarafNode> nodes;
    private final Path logFile;
    private final String authorization;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "state-sampler-http");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http;
    private final BufferedWriter log;
    private final List<Sample> samples = new ArrayList<>();
    private final Set<String> paused = ConcurrentHashMap.newKeySet();
    private final long origin = System.nanoTime();
    private boolean closed;
    private ScheduledExecutorService ticker;
    private long rounds;
    private long slowestRound;

    StateSampler(List<KarafNode> nodes, Path logFile, String user, String password) throws IOException {
        this.nodes = List.copyOf(nodes);
        this.logFile = logFile;
        this.authorization = "Basic " + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
            .executor(executor).build();
        this.log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        write("# " + Instant.now() + " sampling GET /v1/server/ha/state of "
            + nodes.stream().map(KarafNode::toString).collect(Collectors.joining(", "))
            + " every " + INTERVAL.toMillis() + " ms, timeout " + TIMEOUT.toMillis() + " ms");
    }

    Path logFile() {
        return logFile;
    }

    synchronized void start() {
        if (ticker != null) {
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "state-sampler");
            t.setDaemon(true);
            return t;
        });
        // at a fixed rate: a slow round (a paused node) is followed at once by the next one, never overlapped
        ticker.scheduleAtFixedRate(this::sampleOnce, 0, INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Marks a node SIGSTOPped (its samples are flagged "paused" while so); call before STOP and after CONT. */
    void paused(KarafNode node, boolean isPaused) {
        if (isPaused) {
            paused.add(node.name());
        } else {
            paused.remove(node.name());
        }
    }

    /** Writes a test event into the log between the rounds. */
    void event(String what) {
        write(String.format("# %s %s", stamp(System.nanoTime()), what));
    }

    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = ticker;
        }
        if (t != null) {
            t.shutdown();
            try {
                t.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        executor.shutdownNow();
        synchronized (log) {
            if (!closed) {
                closed = true;
                try {
                    log.close();
                } catch (IOException ignored) {
                    // nothing more to write anyway
                }
            }
        }
    }

    /** Rounds in which two or more nodes that were not SIGSTOPped answered MASTER. */
    List<String> roundsWithTwoMasters() {
        List<Sample> all = samples();
        return all.stream().collect(Collectors.groupingBy(Sample::round)).values().stream()
            .filter(r -> r.stream().filter(s -> s.master() && !s.paused()).count() > 1)
            .map(r -> "round " + r.get(0).round() + " at " + stamp(r.get(0).sent()) + ": "
                + r.stream().map(s -> s.node() + "=" + s.answer()).collect(Collectors.joining(" ")))
            .sorted().collect(Collectors.toList());
    }

    /** MASTER answers of {@code node} received at or after {@code since} (System.nanoTime()). */
    List<String> masterAnswersSince(KarafNode node, long since) {
        return samples().stream().filter(s -> s.node().equals(node.name()) && s.master() && s.received() - since >= 0)
            .map(s -> "round " + s.round() + ": sent " + stamp(s.sent()) + ", answered " + stamp(s.received())
                + (s.paused() ? " (sent while paused)" : ""))
            .collect(Collectors.toList());
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    String summary() {
        List<Sample> all = samples();
        StringBuilder b = new StringBuilder();
        b.append(rounds).append(" rounds, slowest ").append(slowestRound / 1_000_000).append(" ms");
        for (KarafNode n : nodes) {
            long answered = all.stream().filter(s -> s.node().equals(n.name()) && !s.answer().equals("-")).count();
            long total = all.stream().filter(s -> s.node().equals(n.name())).count();
            b.append("; ").append(n.name()).append(' ').append(answered).append('/').append(total).append(" answered");
        }
        return b.toString();
    }

    private void sampleOnce() {
        long roundStart = System.nanoTime();
        try {
            round(++rounds);
        } catch (RuntimeException e) {
            write("# sampler round " + rounds + " failed: " + e);
        }
        slowestRound = Math.max(slowestRound, System.nanoTime() - roundStart);
    }

    private void round(long round) {
        List<CompletableFuture<Sample>> pending = new ArrayList<>();
        long sent = System.nanoTime();
        for (KarafNode n : nodes) {
            boolean wasPaused = paused.contains(n.name());
            HttpRequest request = HttpRequest.newBuilder(n.uri("/v1/server/ha/state")).timeout(TIMEOUT)
                .header("Authorization", authorization).GET().build();
            pending.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((r, e) -> new Sample(round, n.name(), sent, System.nanoTime(), answer(r, e),
                    wasPaused || paused.contains(n.name()))));
        }
        List<Sample> result = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            Sample s;
            try {
                s = pending.get(i).get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                s = new Sample(round, nodes.get(i).name(), sent, System.nanoTime(), "-", paused.contains(nodes.get(i).name()));
            }
            result.add(s);
        }
        synchronized (samples) {
            samples.addAll(result);
        }
        StringBuilder line = new StringBuilder(stamp(sent)).append(" round ").append(round);
        for (Sample s : result) {
            line.append(' ').append(s.node()).append('=').append(s.answer())
                .append('(').append((s.received() - s.sent()) / 1_000_000).append(" ms")
                .append(s.paused() ? ", paused" : "").append(')');
        }
        long masters = result.stream().filter(s -> s.master() && !s.paused()).count();
        if (masters > 1) {
            line.append("  <-- ").append(masters).append(" MASTERs");
        }
        write(line.toString());
    }

    private static String answer(HttpResponse<String> response, Throwable error) {
        if (error != null) {
            return "-"; // timed out (a paused JVM), refused (no JVM) or cut off
        }
        if (response.statusCode() != 200) {
            return "HTTP_" + response.statusCode();
        }
        return response.body().trim().replace("\"", "");
    }

    private String stamp(long nanos) {
        return String.format("+%.3fs", (nanos - origin) / 1e9);
    }

    private void write(String line) {
        synchronized (log) {
            if (closed) {
                return;
            }
            try {
                log.write(line);
                log.newLine();
                log.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
