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

/** Brooklyn's {@code SensorApi}: list, read and set an entity's sensors (set: durable before 204). */
@Path("/applications/{application}/entities/{entity}/sensors")
@Produces(MediaType.APPLICATION_JSON)
public final class SensorsResource {
    private final Applications apps;

    public SensorsResource(Applications apps) {
        this.apps = apps;
    }

    @GET
    public Response list(@PathParam("application") String application, @PathParam("entity") String entity) {
        return Answers.ok(() -> {
            EntityRecord e = EntitiesResource.entity(apps.read(), application, entity);
            return e.sensors().entrySet().stream().map(s -> BrooklynJson.sensor(e, s.getKey(), s.getValue())).toList();
        });
    }

    @GET
    @Path("/current-state")
    public Response currentState(@PathParam("application") String application, @PathParam("entity") String entity) {
        return Answers.ok(() -> EntitiesResource.entity(apps.read(), application, entity).sensors());
    }

    @GET
    @Path("/{sensor}")
    public Response get(@PathParam("application") String application, @PathParam("entity") String entity,
            @PathParam("sensor") String sensor) {
        return Answers.value(() -> {
            EntityRecord e = EntitiesResource.entity(apps.read(), application, entity);
            if (!e.sensors().containsKey(sensor)) {
                throw new AppsException(404, "Sensor '" + sensor + "' not found on entity '" + entity + "'",
                        "sensors: " + e.sensors().keySet());
            }
            return e.sensors().get(sensor);
        });
    }

    @POST
    @Path("/{sensor}")
    @Consumes(MediaType.WILDCARD)
    public Response set(@PathParam("application") String application, @PathParam("entity") String entity,
            @PathParam("sensor") String sensor, byte[] body) {
        Object value = Answers.parseValue(body);
        return Answers.answer(() -> {
            apps.setSensors(application, entity, Map.of(sensor, value));
            return Response.noContent().build();
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response setMany(@PathParam("application") String application, @PathParam("entity") String entity,
            Map<String, Object> values) {
        return Answers.answer(() -> {
            if (values == null || values.isEmpty()) {
                throw new AppsException(400, "No sensors to set", "send a JSON object of sensor names to values");
            }
            apps.setSensors(application, entity, values);
            return Response.noContent().build();
        });
    }
}
