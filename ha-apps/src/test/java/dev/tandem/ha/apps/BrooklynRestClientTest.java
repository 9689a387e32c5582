package dev.tandem.ha.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.ws.rs.core.Response;

import org.apache.brooklyn.rest.client.BrooklynApi;
import org.apache.brooklyn.rest.domain.ApplicationSummary;
import org.apache.brooklyn.rest.domain.ConfigSummary;
import org.apache.brooklyn.rest.domain.EffectorSummary;
import org.apache.brooklyn.rest.domain.EntitySummary;
import org.apache.brooklyn.rest.domain.SensorSummary;
import org.apache.brooklyn.rest.domain.TaskSummary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tandem.ha.api.PersistMode;

/**
 * Apache Brooklyn's own REST client ({@code brooklyn-rest-client} 1.1.0) against a running node: a real HA core
 * (folder store), the managed applications and the REST endpoint. The application is deployed with a raw
 * {@code POST application/x-yaml} (the client's deploy methods use Brooklyn-specific media types); everything
 * else goes through the client's proxies and its JSON classes.
 */
class BrooklynRestClientTest {
    static final String BLUEPRINT = String.join("\n",
            "name: client-app",
            "location: localhost",
            "services:",
            "- type: org.apache.brooklyn.entity.stock.BasicStartable",
            "  name: web",
            "  id: web-plan",
            "  brooklyn.config:",
            "    port: 8080",
            "  brooklyn.children:",
            "  - type: org.apache.brooklyn.entity.stock.BasicEntity",
            "    name: child",
            "- type: org.apache.brooklyn.entity.stock.BasicEntity",
            "  name: db",
            "");

    @TempDir
    static Path dir;
    static AppsNode node;
    static BrooklynApi client;
    static String appId;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void deploy() throws Exception {
        node = new AppsNode(dir, "MASTER", PersistMode.AUTO).awaitWriter();
        client = BrooklynApi.newInstance(node.base.toString(), "admin", "secret");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(node.base.resolve("/v1/applications"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("admin:secret".getBytes()))
                .header("Content-Type", "application/x-yaml").POST(BodyPublishers.ofString(BLUEPRINT)).build(),
                BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        TaskSummary task = JSON.readValue(r.body(), TaskSummary.class); // Brooklyn's own class reads the answer
        appId = task.getEntityId();
        assertThat(task.getDisplayName()).isEqualTo("Start application client-app");
        assertThat(task.getLinks()).containsKey("self");
        assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith(":" + node.base.getPort() + "/v1/applications/" + appId);
        org.awaitility.Awaitility.await().until(() -> "RUNNING".equals(
                client.getApplicationApi().get(appId).getStatus().name()));
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    @Test
    void listsAndReadsApplications() {
        List<ApplicationSummary> apps = client.getApplicationApi().list(".*");
        assertThat(apps).extracting(ApplicationSummary::getId).containsExactly(appId);
        ApplicationSummary app = client.getApplicationApi().get(appId);
        assertThat(app.getSpec().getName()).isEqualTo("client-app");
        assertThat(app.getSpec().getEntities()).extracting(e -> e.getName()).containsExactlyInAnyOrder("web", "db");
        assertThat(app.getLinks()).containsKey("self");
        assertThat(client.getApplicationApi().list("nomatch.*")).isEmpty();
    }

    @Test
    void readsEntitiesAndChildren() {
        List<EntitySummary> entities = client.getEntityApi().list(appId);
        assertThat(entities).extracting(EntitySummary::getName).containsExactly("web", "db");
        EntitySummary web = entities.get(0);
        assertThat(web.getType()).isEqualTo("org.apache.brooklyn.entity.stock.BasicStartable");
        EntitySummary byId = client.getEntityApi().get(appId, web.getId());
        assertThat(byId.getName()).isEqualTo("web");
        assertThat(byId.getLinks().get("parent").toString()).endsWith("/entities/" + appId);
        assertThat(client.getEntityApi().getChildren(appId, web.getId())).extracting(EntitySummary::getName)
                .containsExactly("child");
    }

    @Test
    void readsAndSetsSensors() {
        String web = entity("web");
        List<SensorSummary> sensors = client.getSensorApi().list(appId, web);
        Map<String, String> types = sensors.stream().collect(Collectors.toMap(SensorSummary::getName, SensorSummary::getType));
        assertThat(types).containsEntry("service.state", "java.lang.String").containsEntry("service.isUp", "java.lang.Boolean");
        assertThat(client.getSensorApi().get(appId, web, "service.state", false, false, false)).isEqualTo("running");
        client.getSensorApi().set(appId, web, "requests", 42);
        assertThat(client.getSensorApi().get(appId, web, "requests", false, false, false)).isEqualTo(42);
    }

    @Test
    void readsAndSetsConfig() {
        String web = entity("web");
        List<ConfigSummary> config = client.getEntityConfigApi().list(appId, web);
        assertThat(config).extracting(ConfigSummary::getName).contains("port", "camp.plan.id");
        assertThat(client.getEntityConfigApi().get(appId, web, "port", false, false, false, false)).isEqualTo(8080);
        client.getEntityConfigApi().set(appId, web, "port", false, 9090);
        assertThat(client.getEntityConfigApi().get(appId, web, "port", false, false, false, false)).isEqualTo(9090);
    }

    @Test
    void listsAndInvokesEffectors() {
        String web = entity("web");
        List<EffectorSummary> effectors = client.getEffectorApi().list(appId, web);
        assertThat(effectors).extracting(EffectorSummary::getName).containsExactlyInAnyOrder("start", "stop", "restart");
        assertThat(client.getEffectorApi().list(appId, entity("db"))).isEmpty();
        Response stop = client.getEffectorApi().invoke(appId, web, "stop", "never", Map.of());
        assertThat(stop.getStatus()).isEqualTo(200);
        stop.close();
        assertThat(client.getSensorApi().get(appId, web, "service.state", false, false, false)).isEqualTo("stopped");
        assertThat(client.getSensorApi().get(appId, web, "service.isUp", false, false, false)).isEqualTo(false);
        Response start = client.getEffectorApi().invoke(appId, web, "start", "0", Map.of());
        assertThat(start.getStatus()).isIn(200, 202);
        start.close();
        org.awaitility.Awaitility.await().until(() ->
                "running".equals(client.getSensorApi().get(appId, web, "service.state", false, false, false)));
    }

    private static String entity(String name) {
        return client.getEntityApi().list(appId).stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow().getId();
    }
}
