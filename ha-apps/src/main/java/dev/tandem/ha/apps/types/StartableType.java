package dev.tandem.ha.apps.types;

import java.util.List;
import java.util.Map;

import dev.tandem.ha.api.apps.EffectorDefinition;
import dev.tandem.ha.api.apps.EntityContext;
import dev.tandem.ha.api.apps.EntityType;

/**
 * A type with Brooklyn's Startable effectors: {@code start}, {@code stop} and {@code restart} set the sensors
 * {@code service.state} (Brooklyn's lifecycle names: created, running, stopped) and {@code service.isUp}.
 */
public abstract class StartableType implements EntityType {
    public static final String SERVICE_STATE = "service.state";
    public static final String SERVICE_UP = "service.isUp";

    private static final List<EffectorDefinition> EFFECTORS = List.of(
            EffectorDefinition.of("start", "Start the entity: service.state becomes running, service.isUp true"),
            EffectorDefinition.of("stop", "Stop the entity: service.state becomes stopped, service.isUp false"),
            EffectorDefinition.of("restart", "Restart the entity: stop, then start"));

    @Override
    public List<EffectorDefinition> effectors() {
        return EFFECTORS;
    }

    @Override
    public Map<String, Object> initialSensors() {
        return Map.of(SERVICE_STATE, "created", SERVICE_UP, false);
    }

    @Override
    public Object invoke(String effector, Map<String, Object> parameters, EntityContext entity) {
        switch (effector) {
            case "start":
            case "restart":
                entity.setSensor(SERVICE_STATE, "running");
                entity.setSensor(SERVICE_UP, true);
                return null;
            case "stop":
                entity.setSensor(SERVICE_STATE, "stopped");
                entity.setSensor(SERVICE_UP, false);
                return null;
            default:
                throw new IllegalArgumentException("no effector '" + effector + "' on " + typeId());
        }
    }
}
