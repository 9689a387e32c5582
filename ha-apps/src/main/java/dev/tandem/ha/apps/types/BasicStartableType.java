package dev.tandem.ha.apps.types;

import org.osgi.service.component.annotations.Component;

import dev.tandem.ha.api.apps.EntityType;

/** Brooklyn's {@code BasicStartable}: an entity with start, stop and restart. */
@Component(service = EntityType.class)
public final class BasicStartableType extends StartableType {
    public static final String ID = "org.apache.brooklyn.entity.stock.BasicStartable";

    @Override
    public String typeId() {
        return ID;
    }

    @Override
    public String description() {
        return "An entity with start, stop and restart, which set service.state and service.isUp";
    }
}
