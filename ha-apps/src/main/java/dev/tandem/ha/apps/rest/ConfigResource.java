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
import dev.tandem.ha.apps.model.EntityRecord;

/** Brooklyn's {@code EntityConfigApi}: list, read and set an entity's config (set: durable before 204). */
@Path("/applications/{application}/entities/{entity}/config")
@Produces(MediaType.APPLICATION_JSON)
public final class ConfigResource {
    private final EntityValues values;

    public ConfigResource(Applications apps) {
        this.values = new EntityValues(apps, "Config key", "config keys", EntityRecord::config, BrooklynJson::config,
                (a, e, values) -> values.forEach((k, v) -> apps.setConfig(a, e, k, v)));
    }

    @GET
    public Response list(@PathParam("application") String application, @PathParam("entity") String entity) {
        return values.list(application, entity);
    }

    @GET
    @Path("/current-state")
    public Response currentState(@PathParam("application") String application, @PathParam("entity") String entity) {
        return values.currentState(application, entity);
    }

    @GET
    @Path("/{config}")
    public Response get(@PathParam("application") String application, @PathParam("entity") String entity,
            @PathParam("config") String name) {
        return values.get(application, entity, name);
    }

    @POST
    @Path("/{config}")
    @Consumes(MediaType.WILDCARD)
    public Response set(@PathParam("application") String application, @PathParam("entity") String entity,
            @PathParam("config") String name, byte[] body) {
        return values.set(application, entity, name, body);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response setMany(@PathParam("application") String application, @PathParam("entity") String entity,
            Map<String, Object> many) {
        return values.setMany(application, entity, many);
    }
}
