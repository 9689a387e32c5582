import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * The sampler of {@code bench/node-bench.sh} (not a test): waits, on request, until a node's REST API shows a
 * result, and says how long that took from a moment the script gives. One JVM for the whole benchmark, started
 * before anything is measured, so that sampling costs no process start-up while the nodes it measures
 * boot or hand over on the same 2 cores; each wait samples every 20 ms over one kept-alive connection
 * ({@link HttpConnection}), opened again whenever it fails (a node that is not up yet, or stopping). Compiled with
 * the other benchmark clients (bench/*.java) into a folder, then:
 *
 *   java -cp FOLDER Probe USER:PASSWORD
 *
 * <p>Reads one request a line on standard input, {@code ID WHAT PORT TIMEOUT_MS SINCE_MS}, and works on each in its
 * own thread, so that two waits can run at once (MASTER and "write accepted" after a handover). WHAT is:
 * <ul>
 *   <li>{@code MASTER}, {@code HOT_STANDBY}, {@code STANDBY}: {@code GET /v1/server/ha/state} on 127.0.0.1:PORT
 *       answers 200 with that state;</li>
 *   <li>{@code write}: {@code POST /v1/server/ha/states/clear} answers 200 (master-only: 403 on any other node).</li>
 * </ul>
 * When it holds, prints {@code ID MS N404}: MS from SINCE_MS (milliseconds since the epoch, as the script's clock
 * gives them) to the answer that showed it, and N404 the number of 404 answers seen on the way. After TIMEOUT_MS
 * without it, prints {@code ID timeout N404}; to a line that is not a request, {@code ID invalid 0} (and a message
 * on standard error). A line {@code quit} (or the end of the input) ends the probe.
 */
public final class Probe {
    private static final long PERIOD_MILLIS = 20;

    public static void main(String[] args) throws IOException {
        if (args.length != 1 || !args[0].contains(":")) {
            System.err.println("usage: java Probe USER:PASSWORD");
            System.exit(2);
        }
        String auth = "Basic " + Base64.getEncoder().encodeToString(args[0].getBytes(StandardCharsets.UTF_8));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.trim().equals("quit"); line = in.readLine()) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 5 || !f[1].matches("MASTER|HOT_STANDBY|STANDBY|write") || !f[2].matches("\\d{1,5}")
                    || Integer.parseInt(f[2]) < 1 || Integer.parseInt(f[2]) > 65535
                    || !f[3].matches("\\d{1,9}") || !f[4].matches("\\d{1,15}")) {
                System.err.println("Probe: '" + line + "' is not a request; accepted: ID WHAT PORT TIMEOUT_MS SINCE_MS,"
                        + " WHAT one of MASTER, HOT_STANDBY, STANDBY, write, PORT 1-65535");
                print(f[0] + " invalid 0"); // an answer all the same: the script is waiting for one
                continue;
            }
            Wait w = new Wait(f[0], f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]), auth);
            new Thread(w::run, "probe-" + f[0]).start();
        }
        System.exit(0);
    }

    /** One wait: samples until its condition holds or its time is up, then prints its line. */
    private record Wait(String id, String what, int port, long timeoutMillis, long sinceMillis, String auth) {
        void run() {
            URI uri = URI.create("http://127.0.0.1:" + port + "/");
            boolean write = what.equals("write");
            String expected = '"' + what + '"';
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            int notFound = 0;
            HttpConnection c = null;
            String result = "timeout";
            while (System.nanoTime() - deadline < 0) {
                long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS);
                try {
                    if (c == null) {
                        c = new HttpConnection(uri, auth, 1_000, 1_000);
                    }
                    int status = write ? c.send("POST", "/v1/server/ha/states/clear", null, false)
                            : c.send("GET", "/v1/server/ha/state", null, true);
                    long now = System.currentTimeMillis();
                    if (status == 404) {
                        notFound++;
                    }
                    if (status == 200 && (write || new String(c.body(), StandardCharsets.UTF_8).equals(expected))) {
                        result = Long.toString(now - sinceMillis);
                        break;
                    }
                    if (c.closed) {
                        c.close();
                        c = null;
                    }
                } catch (IOException | RuntimeException e) { // not up, stopping, or not HTTP: a new connection
                    if (c != null) {
                        c.close();
                        c = null;
                    }
                }
                long rest = next - System.nanoTime();
                if (rest > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(rest);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            if (c != null) {
                c.close();
            }
            print(id + " " + result + " " + notFound);
        }
    }

    private static void print(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
