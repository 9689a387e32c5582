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
