package dev.tandem.ha.apps.rest;

import java.util.Map;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import dev.tandem.ha.api.Durations;
import dev.tandem.ha.apps.Applications;
import dev.tandem.ha.apps.AppsException;
import dev.tandem.ha.apps.model.EntityRecord;
import dev.tandem.ha.apps.model.TaskRecord;

/**
 * Brooklyn's {@code EffectorApi}: list an entity's effectors and invoke one. As Brooklyn: {@code timeout} 'never'
 * (the default) waits for the result (200 with the result); '0' or a duration answers 202 with the task if it has
 * not ended by then.
 */
@Path("/applications/{application}/entities/{entity}/effectors")
@Produces(MediaType.APPLICATION_JSON)
public final class EffectorsResource {
    private final Applications apps;

    public EffectorsResource(Applications apps) {
        this.apps = apps;
    }

    @GET
    public Response list(@PathParam("application") String application, @PathParam("entity") String entity) {
        return Answers.ok(() -> {
            EntityRecord e = EntitiesResource.entity(apps.read(), application, entity);
            return apps.types().get(e.type()).map(t -> t.effectors().stream().map(d -> BrooklynJson.effector(e, d)).toList())
                    .orElse(java.util.List.of());
        });
    }

    @POST
    @Path("/{effector}")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public Response invoke(@PathParam("application") String application, @PathParam("entity") String entity,
            @PathParam("effector") String effector, @QueryParam("timeout") String timeout, Map<String, Object> parameters) {
        return Answers.answer(() -> {
            long wait = waitMillis(timeout);
            TaskRecord t = apps.invoke(application, entity, effector, parameters, wait);
            if (!t.done()) {
                return Response.accepted(BrooklynJson.task(t)).type(MediaType.APPLICATION_JSON_TYPE).build();
            }
            if (t.isError()) {
                return Answers.error(500, "Effector '" + effector + "' failed", String.valueOf(t.result()));
            }
            return Response.ok(t.result(), MediaType.APPLICATION_JSON_TYPE).build();
        });
    }

    static long waitMillis(String timeout) {
        if (timeout == null || timeout.isBlank() || timeout.equalsIgnoreCase("never")) {
            return -1;
        }
        if (timeout.equals("always")) {
            return 0;
        }
        try {
            return Long.parseLong(timeout.trim());
        } catch (NumberFormatException notMillis) {
            try {
                return Durations.parse("timeout", timeout).toMillis();
            } catch (RuntimeException e) {
                throw new AppsException(400, "Invalid timeout '" + timeout + "'",
                        "accepted: never (wait for the result), 0, milliseconds, or a duration such as 1s");
            }
        }
    }
}
