package dev.tandem.ha.apps.rest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.apps.AppsException;
import dev.tandem.ha.apps.blueprint.BlueprintException;

/** Turns the outcome of an operation into a response; errors as {"message","details","error"}. */
final class Answers {
    private static final Logger LOG = LoggerFactory.getLogger(Answers.class);

    private Answers() {}

    static Response ok(Supplier<Object> body) {
        return answer(() -> Response.ok(body.get(), MediaType.APPLICATION_JSON_TYPE).build());
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** A single JSON value (a sensor's or config's), written as JSON even when it is a plain string. */
    static Response value(Supplier<Object> body) {
        return answer(() -> {
            try {
                return Response.ok(JSON.writeValueAsBytes(body.get()), MediaType.APPLICATION_JSON_TYPE).build();
            } catch (java.io.IOException e) {
                throw new AppsException(500, "Cannot write the value as JSON", e.getMessage());
            }
        });
    }

    /** A request body as a JSON value; a body that is not JSON is taken as a plain string (as Brooklyn does). */
    static Object parseValue(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return JSON.readValue(body, Object.class);
        } catch (java.io.IOException notJson) {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static Response answer(Supplier<Response> r) {
        try {
            return r.get();
        } catch (AppsException e) {
            return error(e.status(), e.getMessage(), e.details());
        } catch (BlueprintException e) {
            return error(400, "Invalid blueprint: " + e.getMessage(), "");
        }
    }

    static Response error(int status, String message, String details) {
        if (status >= 500) {
            LOG.debug("Managed applications: {} {}: {}", status, message, details);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("details", details);
        body.put("error", status);
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
