package dev.tandem.ha.core.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

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

    ReleaseNotice(HaNode node) {
        this.node = node;
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tandem-ha-notice-" + node.nodeId());
            t.setDaemon(true);
            return t;
        });
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
        for (NodeRecord r : plane.nodes().values()) {
            if (r.nodeId().equals(node.nodeId()) || r.nodeUri() == null || !r.status().isElectable()) {
                continue;
            }
            URI uri;
            try {
                uri = URI.create(r.nodeUri().replaceAll("/+$", "") + PATH);
            } catch (IllegalArgumentException badUri) {
                LOG.debug("Node {} has an unusable nodeUri '{}'", r.nodeId(), r.nodeUri());
                continue;
            }
            try {
                LOG.debug("Release notice to {} at {}: HTTP {}", r.nodeId(), uri, post(uri));
            } catch (IOException | RuntimeException e) {
                LOG.debug("Release notice to {} at {}: {}", r.nodeId(), uri, e.toString());
            }
        }
    }

    /**
     * POSTs an empty body and returns the answer's status. A plain socket, not an HTTP client: the notice is sent
     * while the JVM is stopping, when loading a client's classes on first use cost 200-350 ms of the handover.
     */
    static int post(URI uri) throws IOException {
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        if (!tls && !"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IOException("not an http(s) URI: " + uri);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        int timeout = (int) TIMEOUT.toMillis();
        try (Socket socket = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket()) {
            if (socket instanceof SSLSocket ssl) {
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(p);
            }
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeout);
            socket.connect(new InetSocketAddress(uri.getHost(), port), timeout);
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String request = "POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder status = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n' && status.length() < 200; c = in.read()) {
                status.append((char) c);
            }
            String[] parts = status.toString().trim().split(" ");
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP answer: '" + status.toString().trim() + "'");
            }
            try {
                return Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP status: '" + status.toString().trim() + "'", e);
            }
        }
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
