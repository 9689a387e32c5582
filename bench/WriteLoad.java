import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP load client for the benchmarks (not a test): CLIENTS threads each POST increasing integers
 * (a JSON body) to URL over one keep-alive connection, one request at a time, for WARMUP seconds unmeasured and then
 * SECONDS measured; prints "RATE P50 P99 NON2XX" (requests/s of 2xx answers, latencies in ms from just before the
 * request is sent to the end of the answer). Compiled with the other benchmark clients (bench/*.java) into a
 * folder, then:
 *
 *   java -cp FOLDER WriteLoad URL USER:PASSWORD CLIENTS WARMUP SECONDS
 *
 * <p>Each client speaks HTTP/1.1 itself ({@link HttpConnection}). A connection the server closes, or that fails, is
 * opened again (the request counts as non-2xx).
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
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
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
                HttpConnection connection = null;
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= until) {
                        break;
                    }
                    int status;
                    try {
                        if (connection == null) {
                            connection = new HttpConnection(uri, auth, 5_000, 30_000);
                        }
                        status = connection.send("POST", path,
                                Long.toString(counter.incrementAndGet()).getBytes(StandardCharsets.UTF_8), false);
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
