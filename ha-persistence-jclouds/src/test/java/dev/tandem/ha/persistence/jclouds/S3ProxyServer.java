package dev.tandem.ha.persistence.jclouds;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * S3Proxy 2.6.0 (in-memory backend) as a child JVM on a free 127.0.0.1 port. One server is shared by the
 * test classes of this JVM; it is killed when the JVM exits, or by {@link #stop()}. Nothing here talks to a
 * non-loopback address. Public, and published in this module's test-jar, for the multi-process tests of
 * itests; the jar of S3Proxy is named by system property {@code s3proxy.jar}.
 */
public final class S3ProxyServer {
    public static final String IDENTITY = "local-identity";
    public static final String CREDENTIAL = "local-credential-S3CR3T";

    private static S3ProxyServer shared;

    private final Process process;
    private final int port;

    private S3ProxyServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static synchronized S3ProxyServer shared() {
        if (shared == null || !shared.process.isAlive()) {
            shared = start();
            S3ProxyServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s.process::destroyForcibly));
        }
        return shared;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Kills the server (SIGKILL) and waits for it to exit; the next {@link #shared()} starts a new one. */
    public void stop() {
        process.destroyForcibly();
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("S3Proxy (pid " + process.pid() + ") did not exit", e);
        }
    }

    private static S3ProxyServer start() {
        String jar = System.getProperty("s3proxy.jar");
        if (jar == null || !Files.isRegularFile(Paths.get(jar))) {
            throw new IllegalStateException("system property s3proxy.jar must name S3Proxy's jar-with-dependencies: " + jar);
        }
        try {
            int port = freePort();
            Path dir = Files.createDirectories(Paths.get("target", "s3proxy"));
            Path conf = dir.resolve("s3proxy-" + port + ".conf");
            Files.write(conf, List.of(
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + IDENTITY,
                    "s3proxy.credential=" + CREDENTIAL,
                    "jclouds.provider=transient",
                    "jclouds.identity=ignored",
                    "jclouds.credential=ignored"));
            String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Xlog:gc:file=" + dir.resolve("s3proxy-" + port + "-gc.log"), "-jar", jar,
                    "--properties", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("s3proxy-" + port + ".log").toFile())
                    .start();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException("S3Proxy exited with " + p.exitValue() + "; see " + dir);
                }
                return accepts(port);
            });
            return new S3ProxyServer(p, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
