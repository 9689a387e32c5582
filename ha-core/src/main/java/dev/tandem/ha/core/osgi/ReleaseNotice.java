package dev.tandem.ha.core.osgi;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.NodeRecord;
import dev.tandem.ha.api.PlaneView;
import dev.tandem.ha.core.HaNode;

/**
 * When this node has recorded that it stopped being master (a stop, a step-down, a mode change, a lapsed
 * lease), it tells the other electable nodes at once, so that they read the plane now instead of at their next poll: a POST to
 * {@code NODE_URI/v1/server/ha/notice} of each, which changes nothing by itself (the standby only reads the
 * store, whose records decide). The poll remains the fallback when a notice does not arrive.
 */
final class ReleaseNotice implements Runnable, AutoCloseable {
    static final String PATH = "/v1/server/ha/notice";
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseNotice.class);
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final HaNode node;
    private final ExecutorService sender;
    private final HttpClient http;

    ReleaseNotice(HaNode node) {
        this.node = node;
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tandem-ha-notice-" + node.nodeId());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** The node's release record is in the store ({@link HaNode#onReleaseRecorded}): tell the others, off its thread. */
    @Override
    public void run() {
        try {
            sender.execute(this::tellOthers);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // stopping: the poll is the fallback
        }
    }

    private void tellOthers() {
        PlaneView plane;
        try {
            plane = node.view();
        } catch (Exception e) {
            LOG.debug("Node {} released mastership but cannot read the plane to tell the others: {}", node.nodeId(),
                    e.getMessage());
            return;
        }
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (NodeRecord r : plane.nodes().values()) {
            if (r.nodeId().equals(node.nodeId()) || r.nodeUri() == null || !r.status().isElectable()) {
                continue;
            }
            try {
                URI uri = URI.create(r.nodeUri().replaceAll("/+$", "") + PATH);
                HttpRequest post = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                        .POST(HttpRequest.BodyPublishers.noBody()).build();
                sent.add(http.sendAsync(post, HttpResponse.BodyHandlers.discarding()).handle((answer, failure) -> {
                    LOG.debug("Release notice to {} at {}: {}", r.nodeId(), uri,
                            failure != null ? failure.toString() : "HTTP " + answer.statusCode());
                    return null;
                }));
            } catch (IllegalArgumentException badUri) {
                LOG.debug("Node {} has an unusable nodeUri '{}'", r.nodeId(), r.nodeUri());
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).orTimeout(2 * TIMEOUT.toMillis(),
                TimeUnit.MILLISECONDS).exceptionally(x -> null).join();
    }

    /** Lets a notice being sent finish (bounded), then stops the sender. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(3 * TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                sender.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
