package dev.tandem.ha.apps.types;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import dev.tandem.ha.api.apps.EffectorDefinition;
import dev.tandem.ha.api.apps.EntityContext;
import dev.tandem.ha.api.apps.EntityType;

/** Brooklyn's {@code BasicEntity}: config and sensors, no effectors. */
@Component(service = EntityType.class)
public final class BasicEntityType implements EntityType {
    public static final String ID = "org.apache.brooklyn.entity.stock.BasicEntity";

    @Override
    public String typeId() {
        return ID;
    }

    @Override
    public String description() {
        return "An entity with config and sensors and no effectors";
    }

    @Override
    public List<EffectorDefinition> effectors() {
        return List.of();
    }

    @Override
    public Object invoke(String effector, Map<String, Object> parameters, EntityContext entity) {
        throw new IllegalArgumentException("no effector '" + effector + "' on " + ID);
    }
}
