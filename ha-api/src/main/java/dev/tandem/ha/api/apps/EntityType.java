package dev.tandem.ha.api.apps;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An entity type, registered as an OSGi service: a blueprint's {@code type:} names it by {@link #typeId()}
 * (for example {@code org.apache.brooklyn.entity.stock.BasicEntity}). The type says which effectors its entities
 * have and carries them out; the managed state of each entity (config, sensors) is kept and persisted by Tandem.
 *
 * <p>{@link #invoke} runs on the master only, outside any lock. Every sensor it sets through the
 * {@link EntityContext} is persisted with the effector's result, when the effector ends.
 */
@ConsumerType
public interface EntityType {

    /** The id blueprints use in {@code type:}; unique among registered types. */
    String typeId();

    /** One line for listings. */
    default String description() {
        return typeId();
    }

    /** The effectors of every entity of this type. */
    List<EffectorDefinition> effectors();

    /** Sensors an entity of this type has as soon as it is deployed (may be empty). */
    default Map<String, Object> initialSensors() {
        return Map.of();
    }

    /**
     * Carries out one of {@link #effectors()}.
     *
     * @param parameters the caller's parameters, already checked against the effector's definition and
     *                   completed with defaults
     * @return the effector's result: null or a JSON-compatible value (String, Number, Boolean, List, Map)
     * @throws Exception if the effector failed; the task is recorded as failed with the message
     */
    Object invoke(String effector, Map<String, Object> parameters, EntityContext entity) throws Exception;
}
