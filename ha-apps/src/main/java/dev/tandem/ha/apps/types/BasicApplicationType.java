package dev.tandem.ha.apps.types;

import org.osgi.service.component.annotations.Component;

import dev.tandem.ha.api.apps.EntityType;

/** Brooklyn's {@code BasicApplication}: the root of a deployed blueprint; startable. */
@Component(service = EntityType.class)
public final class BasicApplicationType extends StartableType {
    public static final String ID = "org.apache.brooklyn.entity.stock.BasicApplication";

    @Override
    public String typeId() {
        return ID;
    }

    @Override
    public String description() {
        return "An application: the root of a deployed blueprint (start, stop, restart)";
    }
}
