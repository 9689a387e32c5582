package dev.tandem.ha.examples.counter;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import dev.tandem.ha.api.apps.EffectorDefinition;
import dev.tandem.ha.api.apps.EntityContext;
import dev.tandem.ha.api.apps.EntityType;

/**
 * The entity type {@value #TYPE_ID}: no effectors, and a sensor {@value #SENSOR} that starts at 0. What makes it
 * count is {@link CounterComponent}, which runs on the acting master only.
 */
@Component(service = EntityType.class)
public final class CounterType implements EntityType {
    /** The type id blueprints name: {@code type: dev.tandem.examples.Counter}. */
    public static final String TYPE_ID = "dev.tandem.examples.Counter";
    /** The sensor the master counts into. */
    public static final String SENSOR = "count";

    @Override
    public String typeId() {
        return TYPE_ID;
    }

    @Override
    public String description() {
        return "Example: counts into sensor '" + SENSOR + "' once a second, on the master only";
    }

    @Override
    public List<EffectorDefinition> effectors() {
        return List.of();
    }

    @Override
    public Map<String, Object> initialSensors() {
        return Map.of(SENSOR, 0);
    }

    @Override
    public Object invoke(String effector, Map<String, Object> parameters, EntityContext entity) {
        throw new IllegalArgumentException("a Counter has no effector '" + effector + "'");
    }
}
