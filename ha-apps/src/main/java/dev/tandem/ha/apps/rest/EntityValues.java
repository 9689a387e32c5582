package dev.tandem.ha.apps.rest;

import java.util.Map;
import java.util.function.Function;

import javax.ws.rs.core.Response;

import dev.tandem.ha.apps.Applications;
import dev.tandem.ha.apps.AppsException;
import dev.tandem.ha.apps.model.EntityRecord;

/**
 * What an entity's sensors and its config have in common over REST: list them, read one, set one or several
 * (durable before the 204). {@link SensorsResource} and {@link ConfigResource} are the JAX-RS faces of it.
 */
final class EntityValues {
    /** Writes values of one entity through {@link Applications}. */
    interface Writer {
        void write(String application, String entity, Map<String, Object> values);
    }

    /** A value's summary as Brooklyn's JSON shows it in a list. */
    interface Summary {
        Map<String, Object> of(EntityRecord entity, String name, Object value);
    }

    private final Applications apps;
    private final String singular;
    private final String plural;
    private final Function<EntityRecord, Map<String, Object>> values;
    private final Summary summary;
    private final Writer writer;

    /** @param singular e.g. "Sensor"; @param plural e.g. "sensors" (for messages) */
    EntityValues(Applications apps, String singular, String plural, Function<EntityRecord, Map<String, Object>> values,
            Summary summary, Writer writer) {
        this.apps = apps;
        this.singular = singular;
        this.plural = plural;
        this.values = values;
        this.summary = summary;
        this.writer = writer;
    }

    Response list(String application, String entity) {
        return Answers.ok(() -> {
            EntityRecord e = EntitiesResource.entity(apps.read(), application, entity);
            return values.apply(e).entrySet().stream().map(v -> summary.of(e, v.getKey(), v.getValue())).toList();
        });
    }

    Response currentState(String application, String entity) {
        return Answers.ok(() -> values.apply(EntitiesResource.entity(apps.read(), application, entity)));
    }

    Response get(String application, String entity, String name) {
        return Answers.value(() -> {
            Map<String, Object> all = values.apply(EntitiesResource.entity(apps.read(), application, entity));
            if (!all.containsKey(name)) {
                throw new AppsException(404, singular + " '" + name + "' not found on entity '" + entity + "'",
                        plural + ": " + all.keySet());
            }
            return all.get(name);
        });
    }

    Response set(String application, String entity, String name, byte[] body) {
        Object value = Answers.parseValue(body);
        return Answers.answer(() -> {
            writer.write(application, entity, Map.of(name, value));
            return Response.noContent().build();
        });
    }

    Response setMany(String application, String entity, Map<String, Object> many) {
        return Answers.answer(() -> {
            if (many == null || many.isEmpty()) {
                throw new AppsException(400, "No " + plural + " to set", "send a JSON object of " + plural + " to values");
            }
            writer.write(application, entity, many);
            return Response.noContent().build();
        });
    }
}
