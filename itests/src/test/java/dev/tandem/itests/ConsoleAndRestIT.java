package dev.tandem.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Two real distributions (bin/start, one shared store folder), node-a MASTER and node-b HOT_STANDBY, used as an
 * operator would: the web console in headless Chromium on both, every REST endpoint once with its success, a bad
 * input and its authentication and role refusals, a step-down, and the opt-in redirect of non-master writes.
 * The console also lists an application deployed on the master (read-only banner on the hot standby), and says on
 * a STANDBY that it keeps no copy. The DOM text Chromium saw is kept in target/console-master.txt,
 * target/console-standby.txt and target/console-cold-standby.txt.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleAndRestIT {

    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final String ADMIN = "itest";
    private static final String VIEWER = "watcher";
    private static final String NOBODY = "nobody";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String OVERRIDE = "Brooklyn-Allow-Non-Master-Access";

    private static Path work;
    private static KarafNode a;
    private static KarafNode b;
    private static String aId;
    private static String bId;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        Path distribution = Path.of(System.getProperty("tandem.distribution"));
        work = Path.of(System.getProperty("tandem.itest.dir", "target")).resolve("console-rest").toAbsolutePath();
        Files.createDirectories(work);
        Path store = work.resolve("shared-store");
        KarafNode.deleteTree(store);
        Files.createDirectories(store);
        a = KarafNode.unpack(distribution, work, "node-a", store, "1s", "3s", ADMIN, password(ADMIN));
        b = KarafNode.unpack(distribution, work, "node-b", store, "1s", "3s", ADMIN, password(ADMIN));
        for (KarafNode n : List.of(a, b)) {
            Files.writeString(n.home().resolve("etc/users.properties"),
                    VIEWER + " = " + password(VIEWER) + ",_g_:viewergroup\n" + NOBODY + " = " + password(NOBODY) + "\n",
                    StandardOpenOption.APPEND);
        }
        try {
            a.start();
            a.awaitState("MASTER", BOOT_TIMEOUT);
            b.start();
            b.awaitState("HOT_STANDBY", BOOT_TIMEOUT);
            aId = states(a).get("ownId").asText();
            bId = states(b).get("ownId").asText();
            System.out.println("[console-rest] " + a + " is " + aId + " (MASTER), " + b + " is " + bId + " (HOT_STANDBY)");
        } catch (Throwable e) {
            dumpLogs();
            throw e;
        }
    }

    @AfterAll
    static void killEverything() {
        for (KarafNode n : new KarafNode[] {a, b}) {
            if (n != null) {
                n.killAll();
            }
        }
    }

    // ------------------------------------------------------------------ web console

    private static final String BLUEPRINT = String.join("\n",
            "name: console-app",
            "services:",
            "- type: org.apache.brooklyn.entity.stock.BasicStartable",
            "  name: web",
            "  brooklyn.children:",
            "  - type: org.apache.brooklyn.entity.stock.BasicEntity",
            "    name: leaf",
            "");

    @Test
    @Order(1)
    void consoleShowsThePlaneOnTheMasterAndWarnsOnTheStandby() throws Exception {
        // an application for the console to list: deployed on the master, started, and in the standby's copy
        HttpResponse<String> deployed = HTTP.send(HttpRequest.newBuilder(a.uri("/v1/applications"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", basic(ADMIN, password(ADMIN)))
                .header("Content-Type", "application/x-yaml").POST(BodyPublishers.ofString(BLUEPRINT)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
        String appId = JSON.readTree(deployed.body()).get("entityId").asText();
        await("the application running, in the standby's copy").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    HttpResponse<String> r = send(b, "GET", "/v1/applications/" + appId, VIEWER, null);
                    return r.statusCode() == 200 && JSON.readTree(r.body()).get("status").asText().equals("RUNNING");
                });
        try (HeadlessChromium chromium = HeadlessChromium.start(work)) {
            // the master: a wrong password is refused, then the table and no warning
            signIn(chromium, a, ADMIN, "wrong-password");
            chromium.await("the refusal of a wrong password", "document.getElementById('login-error').textContent",
                    v -> v.asText().contains("Wrong user name or password"), Duration.ofSeconds(15));
            signIn(chromium, a, VIEWER, password(VIEWER));
            awaitTable(chromium, "MASTER");
            String master = chromium.text();
            HeadlessChromium.save(work.getParent().resolve("console-master.txt"), master);
            System.out.println("[console-rest] console of the master:\n" + master);
            assertThat(master).contains("This node: " + aId + ", role MASTER").contains(bId).contains("HOT_STANDBY")
                    .contains(a.uri("").toString()).contains(b.uri("").toString())
                    .doesNotContain("This node is not the HA master");
            assertThat(chromium.eval("document.getElementById('not-master').hidden").asBoolean()).isTrue();
            assertThat(chromium.eval("document.querySelectorAll('#nodes tbody tr').length").asInt()).isEqualTo(2);
            awaitApplication(chromium, appId);
            String masterApps = chromium.eval("document.getElementById('applications').innerText").asText();
            assertThat(masterApps).contains("console-app (" + appId + "), RUNNING").contains("web").contains("leaf")
                    .contains("org.apache.brooklyn.entity.stock.BasicStartable").contains("service.state = running")
                    .contains("service.isUp = true");
            assertThat(chromium.eval("document.getElementById('apps-banner').hidden").asBoolean())
                    .as("no banner on the master").isTrue();
            // it refreshes itself
            String updated = chromium.eval("document.getElementById('status').textContent").asText();
            chromium.await("a refresh", "document.getElementById('status').textContent",
                    v -> !v.asText().equals(updated), Duration.ofSeconds(10));

            // the standby: the warning, with a link to the master
            signIn(chromium, b, VIEWER, password(VIEWER));
            awaitTable(chromium, "HOT_STANDBY");
            String standby = chromium.text();
            HeadlessChromium.save(work.getParent().resolve("console-standby.txt"), standby);
            System.out.println("[console-rest] console of the standby:\n" + standby);
            assertThat(standby).contains("This node is not the HA master.")
                    .contains("The master is " + aId + " at " + a.uri("")).contains("This node: " + bId + ", role HOT_STANDBY");
            assertThat(chromium.eval("document.getElementById('not-master').hidden").asBoolean()).isFalse();
            assertThat(chromium.eval("document.querySelector('#master-hint a').getAttribute('href')").asText())
                    .isEqualTo(a.uri("").toString());
            awaitApplication(chromium, appId);
            assertThat(chromium.eval("document.getElementById('applications').innerText").asText())
                    .contains("Read-only copy: this HOT_STANDBY node").contains("console-app (" + appId + "), RUNNING")
                    .contains("leaf").contains("service.state = running");
        }
    }

    private static void awaitApplication(HeadlessChromium chromium, String appId) throws Exception {
        chromium.await("the application " + appId + " with its entities",
                "document.getElementById('apps-list').innerText",
                v -> v.asText().contains(appId) && v.asText().contains("leaf"), Duration.ofSeconds(20));
    }

    private static void signIn(HeadlessChromium chromium, KarafNode node, String user, String password) throws Exception {
        chromium.navigate(node.uri("/").toString());
        chromium.await("the sign-in form of " + node.name(),
                "document.readyState === 'complete' && !!document.getElementById('login') && !document.getElementById('login').hidden",
                JsonNode::asBoolean, Duration.ofSeconds(20));
        chromium.eval("document.getElementById('user').value = " + JSON.writeValueAsString(user) + ";"
                + "document.getElementById('password').value = " + JSON.writeValueAsString(password) + ";"
                + "document.getElementById('login-button').click(); true");
    }

    private static void awaitTable(HeadlessChromium chromium, String role) throws Exception {
        chromium.await("the plane table with this node " + role,
                "document.getElementById('own-role').textContent + ' ' + document.querySelectorAll('#nodes tbody tr').length",
                v -> v.asText().equals(role + " 2"), Duration.ofSeconds(20));
    }

    // ------------------------------------------------------------------ REST: reading

    @Test
    @Order(2)
    void readingEndpointsAnswerViewersAndRefuseOthers() throws Exception {
        for (String path : List.of("/v1/server/ha/state", "/v1/server/ha/states", "/v1/server/ha/priority",
                "/v1/server/ha/metrics", "/v1/server/ha/metrics/prometheus", "/v1/server/ha/health", "/v1/server/up",
                "/v1/server/healthy", "/v1/server/planeid", "/v1/server/up/extended", "/v1/server/version",
                "/v1/server/shuttingDown")) {
            HttpResponse<String> ok = send(a, "GET", path, VIEWER, null);
            assertThat(ok.statusCode()).as("GET %s as a viewer: %s", path, ok.body()).isEqualTo(200);
            assertError(send(a, "GET", path, null, null), 401, "GET " + path + " without credentials");
            HttpResponse<String> wrong = HTTP.send(request(a, "GET", path, null, null)
                    .header("Authorization", basic(VIEWER, "not-the-password")).build(), HttpResponse.BodyHandlers.ofString());
            assertError(wrong, 401, "GET " + path + " with a wrong password");
            assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"karaf\"");
            assertError(send(a, "GET", path, NOBODY, null), 403, "GET " + path + " by a user without roles");
        }
        assertThat(body(a, "/v1/server/ha/state")).isEqualTo("\"MASTER\"");
        assertThat(body(b, "/v1/server/ha/state")).isEqualTo("\"HOT_STANDBY\"");
        assertThat(body(a, "/v1/server/up")).isEqualTo("true");
        assertThat(body(a, "/v1/server/healthy")).isEqualTo("true");
        assertThat(body(a, "/v1/server/planeid")).isEqualTo(body(b, "/v1/server/planeid")).startsWith("\"");

        JsonNode metrics = JSON.readTree(body(a, "/v1/server/ha/metrics"));
        assertThat(metrics.get("nodeId").asText()).isEqualTo(aId);
        assertThat(metrics.get("state").asText()).isEqualTo("MASTER");
        assertThat(metrics.get("heartbeatTimeoutMillis").asLong()).isEqualTo(3000);
        assertThat(metrics.get("history").size()).isPositive();
        assertThat(metrics.get("storeRequests").isObject()).isTrue();
        assertThat(metrics.toString()).doesNotContain(password(ADMIN));

        assertThat(metrics.get("hotCopyLagMillis").isNull()).as("the master keeps no copy").isTrue();
        JsonNode standbyMetrics = JSON.readTree(body(b, "/v1/server/ha/metrics"));
        assertThat(standbyMetrics.get("hotCopyLagMillis").isIntegralNumber()).as(standbyMetrics.toString()).isTrue();
        assertThat(standbyMetrics.get("hotCopyLagMillis").asLong()).isNotNegative().isLessThan(30_000);
        assertThat(body(b, "/v1/server/ha/metrics/prometheus")).contains("\ntandem_ha_hot_copy_lag_seconds ");
        assertThat(body(a, "/v1/server/ha/metrics/prometheus")).doesNotContain("tandem_ha_hot_copy_lag_seconds");

        JsonNode up = JSON.readTree(body(b, "/v1/server/up/extended"));
        assertThat(up.get("up").asBoolean()).isTrue();
        assertThat(up.get("healthy").asBoolean()).isTrue();
        assertThat(up.get("shuttingDown").asBoolean()).isFalse();
        assertThat(up.get("osgiUp").asBoolean()).as("Karaf's boot features are installed").isTrue();
        assertThat(up.get("ha").get("ownId").asText()).isEqualTo(bId);
        assertThat(up.get("ha").get("masterId").asText()).isEqualTo(aId);
        JsonNode version = JSON.readTree(body(a, "/v1/server/version"));
        assertThat(version.get("version").asText()).isEqualTo(System.getProperty("tandem.version"));
        List<String> bundles = new ArrayList<>();
        version.get("features").forEach(f -> bundles.add(f.get("symbolicName").asText()));
        assertThat(bundles).contains("dev.tandem.ha.api", "dev.tandem.ha.core", "dev.tandem.ha.rest");
    }

    @Test
    @Order(3)
    void healthTellsTheRoleByStatusCode() throws Exception {
        assertThat(send(a, "GET", "/v1/server/ha/health", VIEWER, null).statusCode()).isEqualTo(200);
        HttpResponse<String> standby = send(b, "GET", "/v1/server/ha/health", VIEWER, null);
        assertThat(standby.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(standby.body()).get("role").asText()).isEqualTo("standby");
        assertThat(send(b, "GET", "/v1/server/ha/health?standbyCode=200", VIEWER, null).statusCode()).isEqualTo(200);
        JsonNode bad = assertError(send(b, "GET", "/v1/server/ha/health?standbyCode=abc", VIEWER, null), 400,
                "a bad standbyCode");
        assertThat(bad.get("message").asText()).startsWith("standbyCode='abc' is not valid");
    }

    // ------------------------------------------------------------------ REST: changing

    @Test
    @Order(4)
    void modeAndPriorityChangeOnAStandbyOnlyWithTheHeaderAndAdminOnly() throws Exception {
        // as in Brooklyn: a change on a node that is not the master needs Brooklyn-Allow-Non-Master-Access
        JsonNode gated = assertError(send(b, "POST", "/v1/server/ha/state", ADMIN, "mode=hot_standby"), 403,
                "mode on the standby without the header");
        assertThat(gated.get("message").asText())
                .startsWith("This request is only permitted against an active primary Brooklyn server");
        assertError(send(b, "POST", "/v1/server/ha/priority", ADMIN, "priority=2"), 403,
                "priority on the standby without the header");

        HttpResponse<String> mode = forced(b, "/v1/server/ha/state", ADMIN, "mode=hot_standby");
        assertThat(mode.statusCode()).as(mode.body()).isEqualTo(200);
        assertThat(mode.body()).isEqualTo("\"HOT_STANDBY\"");
        JsonNode badMode = assertError(forced(b, "/v1/server/ha/state", ADMIN, "mode=bogus"), 400, "mode=bogus");
        assertThat(badMode.get("message").asText()).isEqualTo(
                "mode='bogus' is not valid; accepted: DISABLED, AUTO, MASTER, STANDBY, HOT_STANDBY, HOT_BACKUP (any case)");
        assertError(forced(b, "/v1/server/ha/state", VIEWER, "mode=master"), 403, "a viewer changing the mode");
        assertError(forced(b, "/v1/server/ha/state", null, "mode=master"), 401, "mode without credentials");

        HttpResponse<String> priority = forced(b, "/v1/server/ha/priority", ADMIN, "priority=2");
        assertThat(priority.statusCode()).as(priority.body()).isEqualTo(200);
        assertThat(body(b, "/v1/server/ha/priority")).isEqualTo("2");
        assertThat(forced(b, "/v1/server/ha/priority", ADMIN, "priority=0").body()).isEqualTo("2");
        assertError(forced(b, "/v1/server/ha/priority", ADMIN, "priority=abc"), 400, "priority=abc");
        assertError(forced(b, "/v1/server/ha/priority", VIEWER, "priority=1"), 403, "a viewer changing priority");
        assertThat(body(b, "/v1/server/ha/state")).isEqualTo("\"HOT_STANDBY\"");
    }

    private static HttpResponse<String> forced(KarafNode node, String path, String user, String form) throws Exception {
        return HTTP.send(request(node, "POST", path, user, form).header(OVERRIDE, "true").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(5)
    void clearingRecordsIsForAdminsOnTheMaster() throws Exception {
        assertThat(send(a, "POST", "/v1/server/ha/states/clear", ADMIN, "").statusCode()).isEqualTo(200);
        assertError(send(a, "POST", "/v1/server/ha/states/clear", VIEWER, ""), 403, "a viewer clearing");
        assertError(send(a, "POST", "/v1/server/ha/states/clear", null, ""), 401, "clearing without credentials");
        JsonNode gated = assertError(send(b, "POST", "/v1/server/ha/states/clear", ADMIN, ""), 403, "clearing on the standby");
        assertThat(gated.get("message").asText())
                .startsWith("This request is only permitted against an active primary Brooklyn server")
                .contains("master " + aId + " at " + a.uri(""));

        for (String id : List.of(aId, "no-such-node")) {
            JsonNode bad = assertError(send(a, "POST", "/v1/server/ha/states/clear/node", ADMIN, "nodeId=" + id), 400,
                    "clearing " + id);
            assertThat(bad.get("message").asText()).startsWith("nodeId='" + id + "' is not valid");
        }
        assertError(send(a, "POST", "/v1/server/ha/states/clear/node", VIEWER, "nodeId=" + bId), 403, "a viewer clearing a node");
        assertError(send(a, "POST", "/v1/server/ha/states/clear/node", null, "nodeId=" + bId), 401, "clearing a node without credentials");
        // a live standby's record (written again since the clear above): removed, and written again at its next
        // heartbeat
        await("node-b's record is back after the clear").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> states(a).get("nodes").has(bId));
        assertThat(send(a, "POST", "/v1/server/ha/states/clear/node", ADMIN, "nodeId=" + bId).statusCode()).isEqualTo(200);
        await("node-b's record is back").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> states(a).get("nodes").has(bId));
    }

    @Test
    @Order(6)
    void stepDownHandsOverAndTheOldMasterHoldsBack() throws Exception {
        assertError(send(b, "POST", "/v1/server/ha/stepdown", ADMIN, "hold=20s"), 403, "step-down on the standby");
        HttpResponse<String> forced = HTTP.send(request(b, "POST", "/v1/server/ha/stepdown", ADMIN, "hold=20s")
                .header(OVERRIDE, "true").build(), HttpResponse.BodyHandlers.ofString());
        assertError(forced, 409, "step-down forced on the standby");
        JsonNode badHold = assertError(send(a, "POST", "/v1/server/ha/stepdown", ADMIN, "hold=soon"), 400, "hold=soon");
        assertThat(badHold.get("message").asText()).startsWith("hold='soon' is not valid");
        assertError(send(a, "POST", "/v1/server/ha/stepdown", VIEWER, "hold=20s"), 403, "a viewer stepping down");
        assertError(send(a, "POST", "/v1/server/ha/stepdown", null, "hold=20s"), 401, "step-down without credentials");

        HttpResponse<String> stepDown = send(a, "POST", "/v1/server/ha/stepdown", ADMIN, "hold=20s");
        assertThat(stepDown.statusCode()).as(stepDown.body()).isEqualTo(200);
        assertThat(stepDown.body()).isEqualTo("\"MASTER\"");
        b.awaitState("MASTER", BOOT_TIMEOUT);
        assertThat(body(a, "/v1/server/ha/state")).isEqualTo("\"HOT_STANDBY\"");
        assertThat(send(b, "GET", "/v1/server/ha/health", VIEWER, null).statusCode()).isEqualTo(200);
        assertThat(send(a, "GET", "/v1/server/ha/health", VIEWER, null).statusCode()).isEqualTo(429);
    }

    @Test
    @Order(7)
    void optInRedirectSendsNonMasterWritesToTheMaster() throws Exception {
        b.awaitState("MASTER", BOOT_TIMEOUT);
        Files.writeString(a.home().resolve("etc/dev.tandem.ha.rest.cfg"), "redirectNonMasterWrites = true\n");
        String path = "/v1/server/ha/states/clear";
        HttpResponse<String> redirected = await("node-a redirects writes").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> send(a, "POST", path, ADMIN, ""), r -> r.statusCode() == 307);
        String location = b.uri(path).toString();
        assertThat(redirected.headers().firstValue("Location")).hasValue(location);
        // what a client that follows redirects does (307 keeps the method)
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(location)).timeout(Duration.ofSeconds(5))
                .header("Authorization", basic(ADMIN, password(ADMIN))).POST(BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        // reads are never redirected, nor this node's own settings (they would change the master): those stay 403
        assertThat(send(a, "GET", "/v1/server/ha/state", VIEWER, null).statusCode()).isEqualTo(200);
        HttpResponse<String> priority = send(a, "POST", "/v1/server/ha/priority", ADMIN, "priority=0");
        assertError(priority, 403, "priority on the standby with redirect on");
        assertThat(priority.headers().firstValue("Location")).isEmpty();
        assertThat(forced(a, "/v1/server/ha/priority", ADMIN, "priority=0").statusCode()).isEqualTo(200);
        Files.delete(a.home().resolve("etc/dev.tandem.ha.rest.cfg"));
    }

    @Test
    @Order(8)
    void onAStandbyTheConsoleSaysThatTheNodeKeepsNoCopy() throws Exception {
        HttpResponse<String> mode = forced(a, "/v1/server/ha/state", ADMIN, "mode=standby");
        assertThat(mode.statusCode()).as(mode.body()).isEqualTo(200);
        a.awaitState("STANDBY", BOOT_TIMEOUT);
        try (HeadlessChromium chromium = HeadlessChromium.start(work)) {
            signIn(chromium, a, VIEWER, password(VIEWER));
            awaitTable(chromium, "STANDBY");
            chromium.await("the no-copy banner", "document.getElementById('apps-banner').hidden ? '' : "
                    + "document.getElementById('apps-banner').textContent",
                    v -> v.asText().contains("keeps no copy"), Duration.ofSeconds(20));
            String text = chromium.text();
            HeadlessChromium.save(work.getParent().resolve("console-cold-standby.txt"), text);
            assertThat(text).contains("This node is STANDBY: it keeps no copy of the managed applications.");
            assertThat(chromium.eval("document.getElementById('apps-list').textContent").asText()).isEmpty();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String password(String user) {
        return user + "-secret";
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpRequest.Builder request(KarafNode node, String method, String path, String user, String form) {
        HttpRequest.Builder r = HttpRequest.newBuilder(node.uri(path)).timeout(Duration.ofSeconds(10));
        if (user != null) {
            r.header("Authorization", basic(user, password(user)));
        }
        if (form != null) {
            r.header("Content-Type", FORM).method(method, BodyPublishers.ofString(form));
        } else {
            r.method(method, BodyPublishers.noBody());
        }
        return r;
    }

    private static HttpResponse<String> send(KarafNode node, String method, String path, String user, String form)
            throws IOException, InterruptedException {
        return HTTP.send(request(node, method, path, user, form).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String body(KarafNode node, String path) throws Exception {
        HttpResponse<String> r = send(node, "GET", path, VIEWER, null);
        assertThat(r.statusCode()).as("GET %s on %s: %s", path, node.name(), r.body()).isEqualTo(200);
        return r.body();
    }

    private static JsonNode states(KarafNode node) throws Exception {
        return JSON.readTree(body(node, "/v1/server/ha/states"));
    }

    private static JsonNode assertError(HttpResponse<String> r, int status, String what) throws IOException {
        assertThat(r.statusCode()).as("%s: %s", what, r.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(r.body());
        List<String> fields = new ArrayList<>();
        error.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("%s: %s", what, r.body()).containsExactly("message", "details", "error");
        assertThat(error.get("error").asInt()).isEqualTo(status);
        return error;
    }

    private static void dumpLogs() {
        for (KarafNode n : new KarafNode[] {a, b}) {
            if (n != null) {
                System.out.println("[console-rest] ---- last lines of " + n.name() + "'s karaf.log ----\n" + n.logTail(60));
            }
        }
    }
}
