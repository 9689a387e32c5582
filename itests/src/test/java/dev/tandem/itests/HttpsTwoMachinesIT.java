package dev.tandem.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Two distributions as on two machines: node-a listens on 127.0.0.2, node-b on 127.0.0.3, HTTPS only (a
 * self-signed keystore made by keytool here), no {@code tandem.ha.nodeUri} set. Checked with the real curl, as
 * docs/operations.md shows it: the published URIs are https on each node's address and reach the other node; the
 * standby's console (headless Chromium) links to the master's https URI; plain HTTP is off; ssh listens on loopback
 * 127.0.0.1 only; the user's password is hashed in etc/users.properties and appears in no log; bin/ha-state and
 * bin/status print the state; a configuration key is overridden from the environment; the systemd unit written by
 * bin/tandem-service passes {@code systemd-analyze verify}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpsTwoMachinesIT {

    /** Karaf boots in 10 to 20 s on 2 idle cores; much longer when the machine is shared. */
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(240);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "itest";
    private static final String PASSWORD = "Https-Itest-Secret-4711";
    private static final String STORE_PASSWORD = "keystore-pw-1";

    private static Path work;
    private static Node a;
    private static Node b;

    /** A node and its HTTPS address. */
    record Node(KarafNode karaf, String host, int httpsPort, int httpPort, int sshPort) {
        String base() {
            return "https://" + host + ":" + httpsPort;
        }
    }

    @BeforeAll
    static void unpackTwoHttpsNodes() throws Exception {
        Path distribution = Path.of(System.getProperty("tandem.distribution"));
        work = Path.of(System.getProperty("tandem.itest.dir", "target")).resolve("https-two").toAbsolutePath();
        Files.createDirectories(work);
        Path store = work.resolve("shared-store");
        KarafNode.deleteTree(store);
        Files.createDirectories(store);
        Path keystore = work.resolve("tandem.p12");
        Files.deleteIfExists(keystore);
        // as docs/operations.md shows: one self-signed key for both addresses
        assertThat(run(List.of("keytool", "-genkeypair", "-alias", "tandem", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "30", "-dname", "CN=tandem-itest", "-ext", "SAN=ip:127.0.0.2,ip:127.0.0.3",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD,
                "-keypass", STORE_PASSWORD), Map.of()).exit).isZero();
        a = httpsNode(distribution, store, keystore, "node-a", "127.0.0.2");
        sshKeys(a.karaf().home().resolve("etc/keys.properties"));
        b = httpsNode(distribution, store, keystore, "node-b", "127.0.0.3");
        System.out.println("[https] " + a + ", " + b);
    }

    private static Node httpsNode(Path distribution, Path store, Path keystore, String name, String host) throws IOException {
        KarafNode k = KarafNode.unpack(distribution, work, name, store, "1s", "3s", USER, PASSWORD);
        Path web = k.home().resolve("etc/org.ops4j.pax.web.cfg");
        int httpPort = Integer.parseInt(read(web, "org.osgi.service.http.port"));
        int httpsPort = FreePorts.next();
        Map<String, String> tls = new LinkedHashMap<>();
        tls.put("org.osgi.service.http.enabled", "false");
        tls.put("org.osgi.service.http.secure.enabled", "true");
        tls.put("org.osgi.service.http.port.secure", Integer.toString(httpsPort));
        tls.put("org.ops4j.pax.web.listening.addresses", host);
        tls.put("org.ops4j.pax.web.ssl.keystore", keystore.toString());
        tls.put("org.ops4j.pax.web.ssl.keystore.type", "PKCS12");
        tls.put("org.ops4j.pax.web.ssl.keystore.password", STORE_PASSWORD);
        tls.put("org.ops4j.pax.web.ssl.key.password", STORE_PASSWORD);
        tls.put("org.ops4j.pax.web.ssl.key.alias", "tandem");
        KarafNode.setProperties(web, tls);
        int sshPort = Integer.parseInt(read(k.home().resolve("etc/org.apache.karaf.shell.cfg"), "sshPort"));
        return new Node(k, host, httpsPort, httpPort, sshPort);
    }

    /** An ssh key for a viewer (with role ssh) and one for an admin, in Karaf's etc/keys.properties. */
    private static void sshKeys(Path keysProperties) throws IOException {
        if (!Files.isExecutable(Path.of("/usr/bin/ssh-keygen"))) {
            return;
        }
        StringBuilder keys = new StringBuilder();
        for (String[] user : new String[][] {{"watcher", "viewer,ssh"}, {"boss", "_g_:admingroup"}}) {
            Path key = work.resolve(user[0] + ".key");
            Files.deleteIfExists(key);
            Files.deleteIfExists(work.resolve(user[0] + ".key.pub"));
            Result gen = run(List.of("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", key.toString()), Map.of());
            assertThat(gen.exit).as(gen.out).isZero();
            String pub = Files.readString(work.resolve(user[0] + ".key.pub")).trim().split("\\s+")[1];
            keys.append(user[0]).append(" = ").append(pub).append(",").append(user[1]).append("\n");
        }
        Files.writeString(keysProperties, keys.toString(), java.nio.file.StandardOpenOption.APPEND);
    }

    @AfterAll
    static void killEverything() {
        for (Node n : new Node[] {a, b}) {
            if (n != null) {
                n.karaf().killAll();
            }
        }
    }

    @Test
    @Order(1)
    void twoHttpsNodesPublishUrisThatReachEachOther() throws Exception {
        try {
            a.karaf().start();
            awaitState(a, "MASTER");
            // a configuration key from the environment (PID brooklyn, key brooklyn.ha.heartbeatTimeout: 3s in the file)
            b.karaf().start(Map.of("BROOKLYN_BROOKLYN_HA_HEARTBEATTIMEOUT", "4s"));
            awaitState(b, "HOT_STANDBY");

            JsonNode states = JSON.readTree(curl(b, "/v1/server/ha/states"));
            String aId = states.get("masterId").asText();
            String bId = states.get("ownId").asText();
            assertThat(states.get("nodes").get(aId).get("nodeUri").asText()).isEqualTo(a.base());
            assertThat(states.get("nodes").get(bId).get("nodeUri").asText()).isEqualTo(b.base());
            // each published URI reaches its node, from the other's view
            JsonNode fromA = JSON.readTree(curl(a, "/v1/server/ha/states"));
            assertThat(curlUri(fromA.get("nodes").get(bId).get("nodeUri").asText() + "/v1/server/ha/state"))
                    .isEqualTo("\"HOT_STANDBY\"");
            assertThat(curlUri(states.get("nodes").get(aId).get("nodeUri").asText() + "/v1/server/ha/state"))
                    .isEqualTo("\"MASTER\"");

            JsonNode metrics = JSON.readTree(curl(b, "/v1/server/ha/metrics"));
            assertThat(metrics.get("heartbeatTimeoutMillis").asLong()).as("from the environment").isEqualTo(4000);
            assertThat(JSON.readTree(curl(a, "/v1/server/ha/metrics")).get("heartbeatTimeoutMillis").asLong()).isEqualTo(3000);
        } catch (AssertionError | RuntimeException e) {
            for (Node n : List.of(a, b)) {
                System.out.println("[https] ---- last lines of " + n.karaf().name() + "'s karaf.log ----\n" + n.karaf().logTail(60));
            }
            throw e;
        }
    }

    @Test
    @Order(2)
    void theStandbysConsoleOverHttpsLinksToTheMaster() throws Exception {
        Result page = run(List.of("curl", "-sS", "-k", b.base() + "/"), Map.of());
        assertThat(page.exit).as(page.out).isZero();
        assertThat(page.out).contains("<html").contains("console.js");
        try (HeadlessChromium chromium = HeadlessChromium.start(work, List.of("--ignore-certificate-errors"))) {
            chromium.navigate(b.base() + "/");
            chromium.await("the sign-in form", "document.readyState === 'complete' && !!document.getElementById('login') "
                    + "&& !document.getElementById('login').hidden", JsonNode::asBoolean, Duration.ofSeconds(20));
            chromium.eval("document.getElementById('user').value = " + JSON.writeValueAsString(USER) + ";"
                    + "document.getElementById('password').value = " + JSON.writeValueAsString(PASSWORD) + ";"
                    + "document.getElementById('login-button').click(); true");
            chromium.await("the plane table on the standby",
                    "document.getElementById('own-role').textContent + ' ' + document.querySelectorAll('#nodes tbody tr').length",
                    v -> v.asText().equals("HOT_STANDBY 2"), Duration.ofSeconds(20));
            String html = chromium.eval("document.documentElement.outerHTML").asText();
            HeadlessChromium.save(work.resolve("console-standby.html"), html);
            assertThat(chromium.eval("document.querySelector('#master-hint a').getAttribute('href')").asText())
                    .isEqualTo(a.base());
            assertThat(html).contains("This node is not the HA master.").contains("href=\"" + a.base() + "\"");
        }
    }

    @Test
    @Order(3)
    void plainHttpIsOffAndSshListensOnLoopbackOnly() {
        Result http = run(List.of("curl", "-sS", "-u", USER + ":" + PASSWORD, "--max-time", "5",
                "http://" + a.host() + ":" + a.httpPort() + "/v1/server/ha/state"), Map.of());
        assertThat(http.exit).as("curl over plain HTTP: " + http.out).isNotZero();
        // HTTPS listens on the node's address only (org.ops4j.pax.web.listening.addresses)
        assertThat(canConnect(a.host(), a.httpsPort())).as("https on " + a.host()).isTrue();
        assertThat(canConnect("127.0.0.1", a.httpsPort())).as("https on 127.0.0.1").isFalse();
        assertThat(canConnect("127.0.0.1", a.sshPort())).as("ssh on 127.0.0.1").isTrue();
        assertThat(canConnect(a.host(), a.sshPort())).as("ssh on " + a.host()).isFalse();
    }

    @Test
    @Order(4)
    void passwordsAreHashedAndNeverLogged() throws Exception {
        Path users = a.karaf().home().resolve("etc/users.properties");
        await("etc/users.properties hashed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> Files.readString(users).contains(USER + " = {CRYPT}"));
        assertThat(Files.readString(users)).doesNotContain(PASSWORD);
        // the clear password still logs in against the hash
        assertThat(curl(a, "/v1/server/ha/state")).isEqualTo("\"MASTER\"");
        Result wrong = run(List.of("curl", "-sS", "-k", "-o", "/dev/null", "-w", "%{http_code}", "-u", USER + ":wrong",
                a.base() + "/v1/server/ha/state"), Map.of());
        assertThat(wrong.out).isEqualTo("401");
        for (Node n : List.of(a, b)) {
            try (var logs = Files.walk(n.karaf().home().resolve("data/log"))) {
                for (Path log : logs.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(log, StandardCharsets.ISO_8859_1)).as(log.toString()).doesNotContain(PASSWORD);
                }
            }
            Path console = n.karaf().home().resolve("console.log");
            if (Files.exists(console)) {
                assertThat(Files.readString(console, StandardCharsets.ISO_8859_1)).doesNotContain(PASSWORD);
            }
            // nor in what REST serves
            assertThat(curl(n, "/v1/server/ha/states") + curl(n, "/v1/server/ha/metrics")).doesNotContain(PASSWORD);
        }
    }

    @Test
    @Order(5)
    void binHaStateAndBinStatusPrintTheState() throws Exception {
        Path home = a.karaf().home();
        Result state = run(List.of(home.resolve("bin/ha-state").toString()),
                Map.of("TANDEM_USER", USER, "TANDEM_PASSWORD", PASSWORD));
        assertThat(state.exit).as(state.out).isZero();
        assertThat(state.out.trim()).isEqualTo("MASTER");

        Path credentials = work.resolve("credentials");
        Files.writeString(credentials, USER + ":" + PASSWORD + "\n");
        Result states = run(List.of(b.karaf().home().resolve("bin/ha-state").toString(), "states"),
                Map.of("TANDEM_CREDENTIALS", credentials.toString()));
        assertThat(states.exit).as(states.out).isZero();
        assertThat(JSON.readTree(states.out).get("nodes").size()).isEqualTo(2);

        Result refused = run(List.of(home.resolve("bin/ha-state").toString()),
                Map.of("TANDEM_USER", USER, "TANDEM_PASSWORD", "wrong"));
        assertThat(refused.exit).isEqualTo(1);
        assertThat(refused.out).contains("401");

        Result status = run(List.of(home.resolve("bin/status").toString()), Map.of());
        assertThat(status.exit).as(status.out).isZero();
        assertThat(status.out).contains("Running");
    }

    @Test
    @Order(6)
    void theServiceUnitPassesSystemdAnalyzeVerify() throws Exception {
        Path root = work.resolve("service-root");
        KarafNode.deleteTree(root);
        Path home = a.karaf().home();
        String owner = Files.getOwner(home).getName();
        Result install = run(List.of(home.resolve("bin/tandem-service").toString(), "install", "--root", root.toString()),
                Map.of());
        assertThat(install.exit).as(install.out).isZero();
        Path unit = root.resolve("etc/systemd/system/tandem.service");
        String text = Files.readString(unit);
        assertThat(text).contains("ExecStart=" + home + "/bin/karaf server").contains("LimitNOFILE=65536")
                .contains("EnvironmentFile=-/etc/default/tandem").contains("User=" + owner).doesNotContain("JAVA_HOME=");
        assertThat(Files.readString(root.resolve("etc/default/tandem"))).contains("#JAVA_HOME=");

        Path analyze = Path.of("/usr/bin/systemd-analyze");
        if (!Files.isExecutable(analyze)) {
            System.out.println("[https] SKIPPED systemd-analyze verify: " + analyze + " is not installed");
            return;
        }
        Result verify = run(List.of(analyze.toString(), "verify", unit.toString()), Map.of());
        System.out.println("[https] systemd-analyze verify " + unit + " -> " + verify.exit + "\n" + verify.out);
        assertThat(verify.exit).as(verify.out).isZero();
        assertThat(verify.out).doesNotContain("tandem.service:");
    }

    @Test
    @Order(7)
    void theHaShellAclLetsViewersReadAndOnlyAdminsChange() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/ssh")) || !Files.isExecutable(Path.of("/usr/bin/ssh-keygen"))) {
            System.out.println("[https] SKIPPED the ha: ACL over ssh: OpenSSH's ssh or ssh-keygen is not installed");
            return;
        }
        assertThat(ssh("watcher", "ha:state").out).contains("MASTER");
        Result read = ssh("watcher", "ha:priority");
        assertThat(read.out).as("a viewer reading the priority").doesNotContain("Insufficient credentials").contains("0");
        Result refused = ssh("watcher", "ha:priority 3");
        assertThat(refused.out).as("a viewer changing the priority").contains("Insufficient credentials");
        // a command a viewer may not run at all is hidden from the viewer
        assertThat(ssh("watcher", "ha:mode hot_standby").out).containsAnyOf("Insufficient credentials", "Command not found");
        assertThat(curl(a, "/v1/server/ha/priority")).isEqualTo("0");
        assertThat(curl(a, "/v1/server/ha/state")).isEqualTo("\"MASTER\"");

        Result changed = ssh("boss", "ha:priority 3");
        assertThat(changed.out).doesNotContain("Insufficient credentials");
        assertThat(curl(a, "/v1/server/ha/priority")).isEqualTo("3");
    }

    private static Result ssh(String user, String command) {
        Result r = run(List.of("ssh", "-p", Integer.toString(a.sshPort()), "-i", work.resolve(user + ".key").toString(),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                "-o", "LogLevel=ERROR", user + "@127.0.0.1", command), Map.of());
        System.out.println("[https] ssh " + user + " '" + command + "' -> " + r.exit + ": " + r.out);
        return r;
    }

    // ------------------------------------------------------------------ helpers

    private static void awaitState(Node n, String state) {
        await(n.karaf().name() + " reports " + state + " over https").atMost(BOOT_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Result r = run(List.of("curl", "-sS", "-k", "--max-time", "3", "-u", USER + ":" + PASSWORD,
                            n.base() + "/v1/server/ha/state"), Map.of());
                    return r.exit == 0 && r.out.equals("\"" + state + "\"");
                });
    }

    /** curl -k -u USER:PASSWORD https://HOST:PORT/PATH, which must succeed with 2xx. */
    private static String curl(Node n, String path) {
        return curlUri(n.base() + path);
    }

    private static String curlUri(String uri) {
        Result r = run(List.of("curl", "-sS", "-k", "--fail-with-body", "--max-time", "10", "-u", USER + ":" + PASSWORD, uri),
                Map.of());
        assertThat(r.exit).as("curl " + uri + ": " + r.out).isZero();
        return r.out;
    }

    private static boolean canConnect(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path cfg, String key) throws IOException {
        for (String l : Files.readAllLines(cfg)) {
            String t = l.trim();
            if (t.startsWith(key) && t.substring(key.length()).trim().startsWith("=")) {
                return t.substring(t.indexOf('=') + 1).trim();
            }
        }
        throw new IllegalStateException(key + " not in " + cfg);
    }

    record Result(int exit, String out) {}

    private static Result run(List<String> command, Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().putAll(env);
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish within 60 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + command, e);
        }
    }
}
