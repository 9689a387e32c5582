package dev.tandem.ha.apps.rest;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import dev.tandem.ha.apps.Applications;
import dev.tandem.ha.apps.AppsException;

/** Brooklyn's {@code ActivityApi}, the part the tasks' links point at: one task (kept: the latest 1000 ended). */
@Path("/activities")
@Produces(MediaType.APPLICATION_JSON)
public final class ActivitiesResource {
    private final Applications apps;

    public ActivitiesResource(Applications apps) {
        this.apps = apps;
    }

    @GET
    @Path("/{task}")
    public Response get(@PathParam("task") String task) {
        return Answers.ok(() -> BrooklynJson.task(apps.read().task(task)
                .orElseThrow(() -> new AppsException(404, "Task '" + task + "' not found", "the latest "
                        + dev.tandem.ha.apps.model.ManagedModel.TASKS_KEPT + " ended tasks are kept"))));
    }
}
