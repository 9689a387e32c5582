package dev.tandem.ha.apps.rest;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import dev.tandem.ha.apps.Applications;

/**
 * {@code GET /v1/server/persistence}: how this node keeps the managed state (its persistMode, whether the state is
 * persisted at all, what its latest takeover did). Served in every state, so that a FAILED node says why.
 */
@Path("/server/persistence")
@Produces(MediaType.APPLICATION_JSON)
public final class PersistenceResource {
    private final Applications apps;

    public PersistenceResource(Applications apps) {
        this.apps = apps;
    }

    @GET
    public Response get() {
        return Answers.ok(apps::persistence);
    }
}
