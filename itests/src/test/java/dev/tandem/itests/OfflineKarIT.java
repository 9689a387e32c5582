package dev.tandem.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The offline install: a stock Apache Karaf 4.4.10 (its tar.gz, started with bin/start) whose Maven access is
 * switched off (no remote repository, an empty local repository, an empty settings.xml, offline), with
 * tandem-kar-VERSION.kar dropped into deploy/. It must install feature tandem from the KAR alone and answer
 * MASTER on the REST API.
 */
class OfflineKarIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String USER = "itest";
    private static final String PASSWORD = "kar-secret";

    private Path home;

    @AfterEach
    void killKaraf() {
        if (home == null) {
            return;
        }
        String marker = "-Dkaraf.base=" + home;
        ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .forEach(p -> {
                    p.destroyForcibly();
                    p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> p).join();
                });
    }

    @Test
    void aStockKarafWithoutMavenInstallsTandemFromTheKar() throws Exception {
        Path work = Path.of(System.getProperty("tandem.itest.dir", "target")).resolve("offline-kar").toAbsolutePath();
        KarafNode.deleteTree(work);
        Files.createDirectories(work);
        Path kar = Path.of(System.getProperty("tandem.kar"));
        Path stock = Path.of(System.getProperty("karaf.stock"));
        assertThat(kar).isRegularFile();
        run(List.of("tar", "xzf", stock.toString(), "-C", work.toString()), work);
        try (Stream<Path> top = Files.list(work)) {
            home = top.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Path etc = home.resolve("etc");

        // no Maven: nothing remote, an empty local repository, no user settings
        Path emptyRepo = Files.createDirectories(work.resolve("empty-m2"));
        Path settings = work.resolve("settings.xml");
        Files.writeString(settings, "<settings/>\n");
        KarafNode.setProperties(etc.resolve("org.ops4j.pax.url.mvn.cfg"), Map.of(
                "org.ops4j.pax.url.mvn.repositories", "",
                "org.ops4j.pax.url.mvn.localRepository", emptyRepo.toString(),
                "org.ops4j.pax.url.mvn.settings", settings.toString(),
                "org.ops4j.pax.url.mvn.offline", "true"));
        // nothing blacklisted: the stock etc/org.apache.karaf.features.xml, as the README says
        int httpPort = FreePorts.next();
        Files.writeString(etc.resolve("org.ops4j.pax.web.cfg"), "org.osgi.service.http.port = " + httpPort + "\n");
        KarafNode.setProperty(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", Integer.toString(FreePorts.next()));
        KarafNode.setProperty(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort", Integer.toString(FreePorts.next()));
        KarafNode.setProperty(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort", Integer.toString(FreePorts.next()));
        Files.writeString(etc.resolve("users.properties"), USER + " = " + PASSWORD + ",admin,manager,viewer\n",
                StandardOpenOption.APPEND);
        Files.copy(kar, home.resolve("deploy").resolve(kar.getFileName()));

        run(List.of(home.resolve("bin/start").toString()), home);
        try {
            await("MASTER from the KAR-installed tandem on a stock Karaf").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> state(httpPort).filter("\"MASTER\""::equals).isPresent());
        } catch (RuntimeException | AssertionError e) {
            System.out.println("[kar] ---- karaf.log ----\n" + tail(home.resolve("data/log/karaf.log"), 80));
            throw e;
        }
        try (Stream<Path> files = Files.walk(emptyRepo)) {
            assertThat(files.filter(Files::isRegularFile).toList()).as("nothing fetched into the local repository").isEmpty();
        }
        assertThat(Files.readString(home.resolve("data/log/karaf.log"))).doesNotContain("Error resolving artifact");
    }

    private static Optional<String> state(int port) {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/server/ha/state"))
                .timeout(Duration.ofSeconds(2)).header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .GET().build();
        try {
            HttpResponse<String> resp = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
            return resp.statusCode() == 200 ? Optional.of(resp.body().trim()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no " + log + ")";
        }
    }

    private static void run(List<String> command, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("scripts.log").toFile()));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(command + " finished").isTrue();
        assertThat(p.exitValue()).as(command + " exit code").isZero();
    }
}
