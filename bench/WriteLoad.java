import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP load client for the benchmarks (not a test): CLIENTS threads each POST increasing integers
 * (a JSON body) to URL over one keep-alive connection, one request at a time, for WARMUP seconds unmeasured and then
 * SECONDS measured; prints "RATE P50 P99 NON2XX" (requests/s of 2xx answers, latencies in ms from just before the
 * request is sent to the end of the answer). Run with the JDK's source launcher:
 *
 *   java bench/WriteLoad.java URL USER:PASSWORD CLIENTS WARMUP SECONDS
 *
 * <p>Each client speaks HTTP/1.1 itself on a blocking socket (a request written in one go, the answer read to the end
 * of its Content-Length or last chunk), so that the client takes as little as possible of the CPU that it shares
 * with the nodes it measures: the JDK's HttpClient, used before, took about a core of this 2-core machine for ~1,000
 * requests/s (a selector thread and asynchronous stages per client). A connection the server closes, or that
 * fails, is opened again (the request counts as non-2xx).
 */
public final class WriteLoad {
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: java WriteLoad.java URL USER:PASSWORD CLIENTS WARMUP_SECONDS SECONDS");
            System.exit(2);
        }
        URI uri = URI.create(args[0]);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            System.err.println("WriteLoad: an http:// URL with a host is needed, not " + args[0]);
            System.exit(2);
        }
        String auth = "Basic " + Base64.getEncoder().encodeToString(args[1].getBytes(StandardCharsets.UTF_8));
        int clients = Integer.parseInt(args[2]);
        long warmupNanos = Duration.ofSeconds(Long.parseLong(args[3])).toNanos();
        long measureNanos = Duration.ofSeconds(Long.parseLong(args[4])).toNanos();
        AtomicLong counter = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        long start = System.nanoTime();
        long from = start + warmupNanos;
        long until = from + measureNanos;
        List<Recorder> recorders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Recorder rec = new Recorder();
            recorders.add(rec);
            Thread t = new Thread(() -> {
                Connection connection = null;
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= until) {
                        break;
                    }
                    int status;
                    try {
                        if (connection == null) {
                            connection = new Connection(uri, auth);
                        }
                        status = connection.post(Long.toString(counter.incrementAndGet()));
                        if (connection.closed) {
                            connection.close();
                            connection = null;
                        }
                    } catch (IOException | RuntimeException e) { // RuntimeException: an answer that is not HTTP
                        status = -1;
                        if (connection != null) {
                            connection.close();
                            connection = null;
                        }
                    }
                    long t1 = System.nanoTime();
                    if (t0 >= from) {
                        if (status / 100 != 2) {
                            bad.incrementAndGet();
                        } else {
                            rec.add(t1 - t0);
                        }
                    }
                }
                if (connection != null) {
                    connection.close();
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        int total = recorders.stream().mapToInt(r -> r.n).sum();
        long[] all = new long[total];
        int k = 0;
        for (Recorder r : recorders) {
            System.arraycopy(r.values, 0, all, k, r.n);
            k += r.n;
        }
        Arrays.sort(all);
        double seconds = measureNanos / 1e9;
        System.out.printf("%.0f %.2f %.2f %d%n", total / seconds, pct(all, 50), pct(all, 99), bad.get());
    }

    /** One keep-alive HTTP/1.1 connection: POSTs a JSON body, reads the whole answer, returns its status. */
    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] head;
        boolean closed;

        Connection(URI uri, String auth) throws IOException {
            int port = uri.getPort() > 0 ? uri.getPort() : 80;
            socket = new Socket();
            socket.connect(new java.net.InetSocketAddress(uri.getHost(), port), 5_000);
            socket.setSoTimeout(30_000); // a node that hangs fails the request instead of the run
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream(), 8192);
            out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            head = ("POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port + "\r\nAuthorization: " + auth
                    + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: ")
                    .getBytes(StandardCharsets.US_ASCII);
        }

        int post(String body) throws IOException {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            out.write(head);
            out.write((b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            String statusLine;
            int status;
            boolean http10;
            do { // 1xx answers come before the final one
                statusLine = line();
                String[] parts = statusLine.split(" ", 3);
                if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                    throw new IOException("not an HTTP answer: " + statusLine);
                }
                http10 = parts[0].equals("HTTP/1.0");
                status = Integer.parseInt(parts[1]);
                if (status / 100 == 1) {
                    for (String h = line(); !h.isEmpty(); h = line()) {
                        // headers of an interim answer
                    }
                }
            } while (status / 100 == 1);
            closed = http10;
            long length = -1;
            boolean chunked = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> {
                        String tokens = "," + value.toLowerCase(Locale.ROOT).replace(" ", "") + ",";
                        closed = tokens.contains(",close,") || (http10 && !tokens.contains(",keep-alive,"));
                    }
                    default -> { }
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line().split(";", 2)[0].trim(), 16); size > 0;
                        size = Long.parseLong(line().split(";", 2)[0].trim(), 16)) {
                    skip(size);
                    line();
                }
                for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                    // trailers: none expected, read past them
                }
            } else if (length > 0) {
                skip(length);
            } else if (length < 0 && status != 204 && status != 304) {
                closed = true; // the body runs to the end of the connection: not kept alive
            }
            return status;
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new EOFException("connection closed by the server");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long k = in.skip(n);
                if (k <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException("connection closed within an answer");
                    }
                    k = 1;
                }
                n -= k;
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing: nothing to do
            }
        }
    }

    /** One thread's latencies, in nanoseconds. */
    private static final class Recorder {
        long[] values = new long[1 << 14];
        int n;

        void add(long v) {
            if (n == values.length) {
                values = Arrays.copyOf(values, 2 * n);
            }
            values[n++] = v;
        }
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, i)] / 1e6;
    }
}
