package dev.tandem.ha.persistence.jclouds;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.BlobMetadata;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP front for S3Proxy that honours {@code If-None-Match: *} and {@code If-Match} on object
 * PUTs, as Amazon S3 does since 2024 (S3Proxy 2.6.0 ignores them): conditional PUTs are checked and
 * forwarded one at a time, with a signed HEAD through jclouds; every other request is forwarded as is,
 * Host header included so that signatures stay valid (needs {@code -Dsun.net.http.allowRestrictedHeaders=true}).
 * It lets the tests run the store's atomic-claim path over real HTTP. A test can make it stop honouring the
 * headers ({@link #honourConditions}), and inject faults into chosen requests ({@link #fault}): answer 503
 * SlowDown without forwarding, or forward and then drop the connection without an answer (a lost answer).
 *
 * <p>Every forwarded request uses a fresh upstream connection with its own timeouts, and a failure upstream
 * answers 502 at once (and is printed): a stuck upstream request must not hold a worker, or queue every
 * later request behind it until the client times out.
 */
final class ConditionalS3Front implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("content-length", "connection", "transfer-encoding",
            "keep-alive", "date", "expect");
    private static final int UPSTREAM_TIMEOUT_MILLIS = 4_000;

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final String upstream;
    private final BlobStoreContext admin;
    private final ReentrantLock conditional = new ReentrantLock();
    /** Requests that reached the front, by "METHOD /path", and those forwarded upstream. */
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> forwarded = new ConcurrentHashMap<>();
    volatile boolean honourConditions = true;
    private volatile Fault fault = (request, n) -> Action.FORWARD;

    /** What the front does with a request. */
    enum Action { FORWARD, SLOW_DOWN, FORWARD_THEN_DROP }

    /** Chooses the action for the n-th (from 1) request "METHOD /bucket/key" (no query). */
    interface Fault {
        Action on(String request, int n);
    }

    void fault(Fault f) {
        this.fault = f;
    }

    int received(String request) {
        return received.getOrDefault(request, new AtomicInteger()).get();
    }

    int forwarded(String request) {
        return forwarded.getOrDefault(request, new AtomicInteger()).get();
    }

    ConditionalS3Front(String upstream, BlobStoreContext admin) {
        this.upstream = upstream;
        this.admin = admin;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        long started = System.nanoTime();
        try (ex) {
            handleExchange(ex);
        } catch (IOException | RuntimeException e) {
            System.err.printf("ConditionalS3Front: %s %s failed after %d ms: %s%n", ex.getRequestMethod(),
                    ex.getRequestURI(), (System.nanoTime() - started) / 1_000_000, e);
            if (ex.getResponseCode() == -1) {
                sendError(ex, 502, "BadGateway", "the front could not forward the request: " + e);
            }
        }
    }

    private static void sendError(HttpExchange ex, int status, String code, String message) throws IOException {
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/xml");
        ex.sendResponseHeaders(status, xml.length);
        ex.getResponseBody().write(xml);
    }

    private void handleExchange(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String request = ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath();
        int n = received.computeIfAbsent(request, k -> new AtomicInteger()).incrementAndGet();
        Action action = fault.on(request, n);
        if (action == Action.SLOW_DOWN) {
            sendError(ex, 503, "SlowDown", "Please reduce your request rate.");
            return;
        }
        forwarded.computeIfAbsent(request, k -> new AtomicInteger()).incrementAndGet();
        if (action == Action.FORWARD_THEN_DROP) {
            forward(new DroppedAnswer(ex), body);
            return; // closing the exchange without an answer closes the connection: the client sees EOF
        }
        String ifNoneMatch = ex.getRequestHeaders().getFirst("If-None-Match");
        String ifMatch = ex.getRequestHeaders().getFirst("If-Match");
        String[] parts = ex.getRequestURI().getRawPath().substring(1).split("/", 2);
        boolean objectPut = "PUT".equals(ex.getRequestMethod()) && parts.length == 2 && ex.getRequestURI().getRawQuery() == null;
        if (!objectPut || ifNoneMatch == null && ifMatch == null || !honourConditions) {
            forward(ex, body);
            return;
        }
        try {
            if (!conditional.tryLock(UPSTREAM_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new IOException("conditional PUTs are stuck: no turn within " + UPSTREAM_TIMEOUT_MILLIS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        try {
            BlobMetadata meta = admin.getBlobStore().blobMetadata(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
            boolean failed = "*".equals(ifNoneMatch) && meta != null
                    || ifMatch != null && (meta == null || !unquote(ifMatch).equals(unquote(meta.getETag())));
            if (failed) {
                sendError(ex, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
            } else {
                forward(ex, body);
            }
        } finally {
            conditional.unlock();
        }
    }

    private static String unquote(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }

    private void forward(HttpExchange ex, byte[] body) throws IOException {
        URL url = new URL(upstream + ex.getRequestURI().toString());
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        c.setRequestMethod(ex.getRequestMethod());
        c.setInstanceFollowRedirects(false);
        c.setConnectTimeout(UPSTREAM_TIMEOUT_MILLIS);
        c.setReadTimeout(UPSTREAM_TIMEOUT_MILLIS);
        c.setUseCaches(false);
        c.setRequestProperty("Connection", "close");
        for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase()) || "date".equalsIgnoreCase(h.getKey())) {
                for (String v : h.getValue()) {
                    c.addRequestProperty(h.getKey(), v);
                }
            }
        }
        if (body.length > 0 || "PUT".equals(ex.getRequestMethod()) || "POST".equals(ex.getRequestMethod())) {
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
        }
        int status = c.getResponseCode();
        for (Map.Entry<String, List<String>> h : c.getHeaderFields().entrySet()) {
            if (h.getKey() != null && !HOP_BY_HOP.contains(h.getKey().toLowerCase())) {
                ex.getResponseHeaders().put(h.getKey(), h.getValue());
            }
        }
        byte[] response;
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            response = in == null ? new byte[0] : in.readAllBytes();
        }
        boolean noBody = "HEAD".equals(ex.getRequestMethod()) || status == 204 || status == 304 || response.length == 0;
        ex.sendResponseHeaders(status, noBody ? -1 : response.length);
        if (!noBody) {
            ex.getResponseBody().write(response);
        }
    }

    /** An exchange whose answer is never sent: forward() reads the upstream answer and drops it. */
    private static final class DroppedAnswer extends HttpExchange {
        private final HttpExchange ex;

        DroppedAnswer(HttpExchange ex) {
            this.ex = ex;
        }

        @Override
        public com.sun.net.httpserver.Headers getRequestHeaders() {
            return ex.getRequestHeaders();
        }

        @Override
        public com.sun.net.httpserver.Headers getResponseHeaders() {
            return new com.sun.net.httpserver.Headers();
        }

        @Override
        public java.net.URI getRequestURI() {
            return ex.getRequestURI();
        }

        @Override
        public String getRequestMethod() {
            return ex.getRequestMethod();
        }

        @Override
        public com.sun.net.httpserver.HttpContext getHttpContext() {
            return ex.getHttpContext();
        }

        @Override
        public void close() {
            ex.close();
        }

        @Override
        public InputStream getRequestBody() {
            return ex.getRequestBody();
        }

        @Override
        public OutputStream getResponseBody() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public void sendResponseHeaders(int rCode, long responseLength) {
            // dropped
        }

        @Override
        public InetSocketAddress getRemoteAddress() {
            return ex.getRemoteAddress();
        }

        @Override
        public int getResponseCode() {
            return -1;
        }

        @Override
        public InetSocketAddress getLocalAddress() {
            return ex.getLocalAddress();
        }

        @Override
        public String getProtocol() {
            return ex.getProtocol();
        }

        @Override
        public Object getAttribute(String name) {
            return ex.getAttribute(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            ex.setAttribute(name, value);
        }

        @Override
        public void setStreams(InputStream i, OutputStream o) {
            ex.setStreams(i, o);
        }

        @Override
        public com.sun.net.httpserver.HttpPrincipal getPrincipal() {
            return ex.getPrincipal();
        }
    }
}
