package dev.tandem.ha.apps.rest;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

import dev.tandem.ha.apps.Applications;
import dev.tandem.ha.apps.AppsException;
import dev.tandem.ha.apps.blueprint.BlueprintParser;
import dev.tandem.ha.apps.blueprint.EntitySpec;
import dev.tandem.ha.apps.model.EntityRecord;
import dev.tandem.ha.apps.model.ManagedModel;
import dev.tandem.ha.apps.model.TaskRecord;

/** Brooklyn's {@code ApplicationApi}: list, get, deploy (YAML or JSON) and delete applications. */
@Path("/applications")
@Produces(MediaType.APPLICATION_JSON)
public final class ApplicationsResource {
    private final Applications apps;

    public ApplicationsResource(Applications apps) {
        this.apps = apps;
    }

    @GET
    public Response list(@QueryParam("typeRegex") @DefaultValue(".*") String typeRegex) {
        return Answers.ok(() -> {
            Pattern p = regex(typeRegex);
            ManagedModel m = apps.read();
            return m.applications().stream().filter(a -> p.matcher(a.type()).matches())
                    .map(a -> BrooklynJson.application(a, m)).toList();
        });
    }

    @GET
    @Path("/{application}")
    public Response get(@PathParam("application") String application) {
        return Answers.ok(() -> {
            ManagedModel m = apps.read();
            EntityRecord app = m.application(application)
                    .orElseThrow(() -> new AppsException(404, "Application '" + application + "' not found", ""));
            return BrooklynJson.application(app, m);
        });
    }

    /**
     * Deploys a blueprint: CAMP YAML ({@code application/x-yaml} and the other YAML types, or any type not JSON) or
     * Brooklyn's ApplicationSpec JSON ({@code application/json}). 201 with {@code Location} and the start task, once
     * the deployment is durable.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(@HeaderParam("Content-Type") String contentType, byte[] body, @Context UriInfo uri) {
        return Answers.answer(() -> {
            if (body == null || body.length == 0) {
                throw new AppsException(400, "Invalid blueprint: the request has no body",
                        "send CAMP YAML (application/x-yaml) or Brooklyn's ApplicationSpec JSON (application/json)");
            }
            boolean json = contentType != null && contentType.toLowerCase().startsWith(MediaType.APPLICATION_JSON);
            EntitySpec spec = json ? BlueprintParser.parseJson(body)
                    : BlueprintParser.parse(new String(body, StandardCharsets.UTF_8));
            TaskRecord task = apps.deploy(spec);
            URI location = uri.getBaseUriBuilder().path("applications").path(task.entityId()).build();
            return Response.created(location).type(MediaType.APPLICATION_JSON_TYPE).entity(BrooklynJson.task(task)).build();
        });
    }

    @DELETE
    @Path("/{application}")
    public Response delete(@PathParam("application") String application) {
        return Answers.answer(() -> Response.accepted(BrooklynJson.task(apps.delete(application)))
                .type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    static Pattern regex(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new AppsException(400, "Invalid typeRegex '" + regex + "'", e.getDescription());
        }
    }
}
