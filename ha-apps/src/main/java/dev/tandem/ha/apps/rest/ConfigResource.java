package dev.tandem.ha.apps.rest;

import java.util.Map;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import dev.tandem.ha.apps.Applications;
import dev.tandem.ha.apps.AppsException;
import dev.tandem.ha.apps.model.EntityRecord;

/** Brooklyn's {@code EntityConfigApi}: list, read and set an entity's config (set: durable before 204). */
@Path("/applications/{application}/entities/{entity}/config")
@Produces(MediaType.APPLICATION_JSON)
public final class ConfigResource {
    private final Applications apps;

    public ConfigResource(Applications apps) {
        this.apps = apps;
    }

    @GET
    public Response list(@PathParam("application") String application, @PathParam("entity") String entity) {
        return Answers.ok(() -> {
            EntityRecord e = EntitiesResource.entity(apps.read(), application, entity);
            return e.config().entrySet().stream().map(c -> BrooklynJson.config(e, c.getKey(), c.getValue())).toList();
        });
    }

    @GET
    @Path("/current-state")
    public Response currentState(@PathParam("application") String application, @PathParam("entity") String entity) {
        return Answers.ok(() -> EntitiesResource.entity(apps.read(), application, entity).config());
    }

    @GET
    @Path("/{config}")
    public Response get(@PathParam("application") String application, @PathParam("entity") String entity,
            @PathParam("config") String key) {
        return Answers.value(() -> {
            EntityRecord e = EntitiesResource.entity(apps.read(), application, entity);
            if (!e.config().containsKey(key)) {
                throw new AppsException(404, "Config key '" + key + "' not found on entity '" + entity + "'",
                        "config keys: " + e.config().keySet());
            }
            return e.config().get(key);
        });
    }

    @POST
    @Path("/{config}")
    @Consumes(MediaType.WILDCARD)
    public Response set(@PathParam("application") String application, @PathParam("entity") String entity,
            @PathParam("config") String key, byte[] body) {
        Object value = Answers.parseValue(body);
        return Answers.answer(() -> {
            apps.setConfig(application, entity, key, value);
            return Response.noContent().build();
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response setMany(@PathParam("application") String application, @PathParam("entity") String entity,
            Map<String, Object> values) {
        return Answers.answer(() -> {
            if (values == null || values.isEmpty()) {
                throw new AppsException(400, "No config to set", "send a JSON object of config keys to values");
            }
            values.forEach((k, v) -> apps.setConfig(application, entity, k, v));
            return Response.noContent().build();
        });
    }
}
