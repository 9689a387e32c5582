import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * request is sent to the end of the answer). Run with the JDK's source launcher:
 *
 *   java bench/WriteLoad.java URL USER:PASSWORD CLIENTS WARMUP SECONDS
 */
public final class WriteLoad {
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: java WriteLoad.java URL USER:PASSWORD CLIENTS WARMUP_SECONDS SECONDS");
            System.exit(2);
        }
        URI uri = URI.create(args[0]);
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
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(); // its own connection
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= until) {
                        break;
                    }
                    HttpRequest req = HttpRequest.newBuilder(uri).header("Authorization", auth)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Long.toString(counter.incrementAndGet()))).build();
                    int status;
                    try {
                        status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (Exception e) {
                        status = -1;
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
