package dev.tandem.itests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Brooklyn's application REST API (/v1/applications...) of a {@link KarafNode}, as a client sees it: every call
 * answers the status and body, or empty when the node did not answer within the timeout (refused, cut off, or a
 * SIGSTOPped JVM that accepted the connection and never answered). Redirects are not followed: a 307 is an answer.
 */
final class AppsRest {

    /** One answer: status, body and the {@code Location} header if any. */
    record Answer(int status, String body, Optional<String> location) {
        boolean ok() {
            return status / 100 == 2;
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (HTTP " + status + "): " + body, e);
            }
        }
    }

    /** An application's entities as deployed: the application and its children by name. */
    record Deployed(String appId, String entityId, String startableId) {}

    static final ObjectMapper JSON = new ObjectMapper();

    /** Three entities of the stock types: the application, a BasicEntity and a BasicStartable. */
    static final String THREE_ENTITIES = String.join("\n",
        "name: itest-app",
        "services:",
        "- type: org.apache.brooklyn.entity.stock.BasicEntity",
        "  name: itest-entity",
        "  brooklyn.config:",
        "    itest.key: itest-value",
        "- type: org.apache.brooklyn.entity.stock.BasicStartable",
        "  name: itest-startable",
        "");

    private final HttpClient http;
    private final String authorization;
    private final Duration timeout;

    AppsRest(String user, String password, Duration timeout) {
        this.timeout = timeout;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    Optional<Answer> get(KarafNode node, String path) {
        return send(node.uri(path), "GET", null, null);
    }

    Optional<Answer> post(KarafNode node, String path, String contentType, String body) {
        return send(node.uri(path), "POST", contentType, body);
    }

    /** POST to an absolute URI (a 307's Location). */
    Optional<Answer> post(URI uri, String contentType, String body) {
        return send(uri, "POST", contentType, body);
    }

    /** POST {@code …/sensors/{sensor}} with a JSON value. */
    Optional<Answer> setSensor(KarafNode node, String app, String entity, String sensor, String jsonValue) {
        return post(node, sensorPath(app, entity, sensor), "application/json", jsonValue);
    }

    static String sensorPath(String app, String entity, String sensor) {
        return "/v1/applications/" + app + "/entities/" + entity + "/sensors/" + sensor;
    }

    /** Deploys a YAML blueprint; fails the test unless the answer is 201 with a Location. */
    String deploy(KarafNode node, String yaml) {
        Answer a = post(node, "/v1/applications", "application/x-yaml", yaml)
            .orElseThrow(() -> new AssertionError(node.name() + ": POST /v1/applications did not answer"));
        if (a.status() != 201 || a.location().isEmpty()) {
            throw new AssertionError(node.name() + ": POST /v1/applications answered " + a.status() + " " + a.body());
        }
        String location = a.location().get();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** The application's children by name, read on {@code node}; empty unless it answers 200. */
    Optional<Deployed> deployed(KarafNode node, String appId) {
        return get(node, "/v1/applications/" + appId + "/entities").filter(a -> a.status() == 200).map(a -> {
            String entity = null;
            String startable = null;
            for (JsonNode e : a.json()) {
                if ("itest-entity".equals(e.path("name").asText())) {
                    entity = e.path("id").asText();
                } else if ("itest-startable".equals(e.path("name").asText())) {
                    startable = e.path("id").asText();
                }
            }
            return entity == null || startable == null ? null : new Deployed(appId, entity, startable);
        });
    }

    /** The ids of the applications {@code node} lists, if it answers 200. */
    Optional<List<String>> applicationIds(KarafNode node) {
        return get(node, "/v1/applications").filter(a -> a.status() == 200).map(a -> {
            List<String> ids = new ArrayList<>();
            a.json().forEach(app -> ids.add(app.path("id").asText()));
            return ids;
        });
    }

    /** A sensor's value as JSON, if the node answers 200. */
    Optional<JsonNode> sensor(KarafNode node, String app, String entity, String sensor) {
        return get(node, sensorPath(app, entity, sensor)).filter(a -> a.status() == 200).map(Answer::json);
    }

    /** Invokes an effector and waits for its result (Brooklyn's default timeout 'never'). */
    Optional<Answer> invoke(KarafNode node, String app, String entity, String effector) {
        return post(node, "/v1/applications/" + app + "/entities/" + entity + "/effectors/" + effector,
            "application/json", "{}");
    }

    private Optional<Answer> send(URI uri, String method, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Authorization", authorization);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return Optional.of(new Answer(r.statusCode(), r.body(), r.headers().firstValue("Location")));
        } catch (IOException notAnswered) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
