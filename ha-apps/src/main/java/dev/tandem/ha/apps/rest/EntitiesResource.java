package dev.tandem.ha.apps.rest;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import dev.tandem.ha.apps.Applications;
import dev.tandem.ha.apps.AppsException;
import dev.tandem.ha.apps.model.EntityRecord;
import dev.tandem.ha.apps.model.ManagedModel;

/** Brooklyn's {@code EntityApi}: an application's entities, one entity, an entity's children. */
@Path("/applications/{application}/entities")
@Produces(MediaType.APPLICATION_JSON)
public final class EntitiesResource {
    private final Applications apps;

    public EntitiesResource(Applications apps) {
        this.apps = apps;
    }

    /** As Brooklyn: the application's children (its top-level entities). */
    @GET
    public Response list(@PathParam("application") String application) {
        return Answers.ok(() -> {
            ManagedModel m = apps.read();
            EntityRecord app = app(m, application);
            return m.children(app).stream().map(BrooklynJson::entity).toList();
        });
    }

    @GET
    @Path("/{entity}")
    public Response get(@PathParam("application") String application, @PathParam("entity") String entity) {
        return Answers.ok(() -> BrooklynJson.entity(entity(apps.read(), application, entity)));
    }

    @GET
    @Path("/{entity}/children")
    public Response children(@PathParam("application") String application, @PathParam("entity") String entity) {
        return Answers.ok(() -> {
            ManagedModel m = apps.read();
            return m.children(entity(m, application, entity)).stream().map(BrooklynJson::entity).toList();
        });
    }

    static EntityRecord app(ManagedModel m, String application) {
        return m.application(application)
                .orElseThrow(() -> new AppsException(404, "Application '" + application + "' not found", ""));
    }

    static EntityRecord entity(ManagedModel m, String application, String entity) {
        EntityRecord app = app(m, application);
        return m.entity(app.id(), entity).orElseThrow(() -> new AppsException(404, "Entity '" + entity
                + "' not found in application '" + application + "'", ""));
    }
}
