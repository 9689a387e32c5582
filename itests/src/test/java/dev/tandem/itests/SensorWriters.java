package dev.tandem.itests;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.tandem.itests.AppsRest.Answer;

/**
 * Clients that write sensor values as fast as they can to whichever node is master: each client owns one sensor of
 * one entity and writes 1, 2, 3, ... one request at a time. A 2xx acknowledges the value; a 307 is followed once;
 * any other answer, or none within the client's timeout, counts as failed and makes the client ask the plane for the
 * master again (a 503 of a master that is catching up is retried on the same node). A failed write's value may or
 * may not have been applied, so after the run each sensor must hold a value between its last acknowledged one and
 * the last one sent.
 */
final class SensorWriters implements AutoCloseable {

    /** Pause before a client's next attempt after a failure (no master known, refused, or no answer). */
    static final long RETRY_MILLIS = 20;

    /** One acknowledged write: when (System.nanoTime()) and which node acknowledged it. */
    record Ack(long nanos, String node, long latencyNanos) {}

    /** What one client sent and had acknowledged. */
    static final class Client {
        final String sensor;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong acked = new AtomicLong();

        Client(String sensor) {
            this.sensor = sensor;
        }
    }

    private final AppsRest rest;
    private final MasterFinder finder;
    private final String app;
    private final String entity;
    private final List<Client> clients = new ArrayList<>();
    private final ScheduledExecutorService executor;
    private final CountDownLatch stopped;
    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong redirects = new AtomicLong();
    private volatile boolean running;
    private long startNanos;
    private long stopNanos;

    SensorWriters(AppsRest rest, MasterFinder finder, String app, String entity, int count) {
        this.rest = rest;
        this.finder = finder;
        this.app = app;
        this.entity = entity;
        for (int i = 1; i <= count; i++) {
            clients.add(new Client("chaos.client" + i));
        }
        this.stopped = new CountDownLatch(count);
        this.executor = Executors.newScheduledThreadPool(count, r -> {
            Thread t = new Thread(r, "sensor-writer");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        running = true;
        startNanos = System.nanoTime();
        clients.forEach(c -> executor.execute(() -> step(c)));
    }

    /** Stops the clients and waits until every request in flight has ended (answered or timed out). */
    void stop() throws InterruptedException {
        running = false;
        if (!stopped.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("sensor writers did not stop within 30 s");
        }
        stopNanos = System.nanoTime();
        executor.shutdown();
    }

    @Override
    public void close() {
        running = false;
        executor.shutdownNow();
    }

    List<Client> clients() {
        return Collections.unmodifiableList(clients);
    }

    long acknowledged() {
        return acks.size();
    }

    long failed() {
        return failed.get();
    }

    long redirects() {
        return redirects.get();
    }

    /** Acknowledged writes per second from start to stop. */
    double ackedPerSecond() {
        return acks.size() / ((stopNanos - startNanos) / 1e9);
    }

    /** The first write acknowledged after {@code nanos} by a node other than {@code except}. */
    OptionalLong firstAckAfter(long nanos, KarafNode except) {
        return acks.stream().filter(a -> a.nanos() - nanos > 0 && !a.node().equals(except.name()))
            .mapToLong(Ack::nanos).min();
    }

    /** Latency percentile (0..100) of the acknowledged writes, in ms. */
    double latencyMillis(double percentile) {
        long[] l = acks.stream().mapToLong(Ack::latencyNanos).sorted().toArray();
        if (l.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(l.length - 1, Math.ceil(percentile / 100 * l.length) - 1);
        return l[Math.max(0, i)] / 1e6;
    }

    private void step(Client c) {
        if (!running) {
            stopped.countDown();
            return;
        }
        long delay = 0;
        try {
            delay = writeOnce(c);
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            delay = RETRY_MILLIS;
        }
        executor.schedule(() -> step(c), delay, TimeUnit.MILLISECONDS);
    }

    /** One write; answers the delay before the next one. */
    private long writeOnce(Client c) {
        Optional<KarafNode> target = finder.current();
        if (target.isEmpty()) {
            return RETRY_MILLIS;
        }
        KarafNode node = target.get();
        long value = c.sent.incrementAndGet();
        String path = AppsRest.sensorPath(app, entity, c.sensor);
        long t0 = System.nanoTime();
        Optional<Answer> a = rest.post(node, path, "application/json", Long.toString(value));
        if (a.isPresent() && a.get().status() == 307 && a.get().location().isPresent()) {
            redirects.incrementAndGet();
            URI to = URI.create(a.get().location().get());
            Optional<KarafNode> master = finder.redirectedTo(to);
            if (master.isPresent()) {
                node = master.get();
                a = rest.post(to, "application/json", Long.toString(value));
            }
        }
        long t1 = System.nanoTime();
        if (a.isPresent() && a.get().ok()) {
            c.acked.accumulateAndGet(value, Math::max);
            acks.add(new Ack(t1, node.name(), t1 - t0));
            return 0;
        }
        failed.incrementAndGet();
        if (a.isEmpty() || a.get().status() != 503) {
            finder.refusedBy(node);
        }
        return RETRY_MILLIS;
    }
}
