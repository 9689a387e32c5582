package dev.tandem.ha.apps.rest;

import java.util.List;

import dev.tandem.ha.apps.Applications;

/**
 * Brooklyn's application, entity, sensor, config, effector and activity resources over one {@link Applications},
 * and Tandem's {@code /server/persistence}.
 */
public final class AppsRestResources {
    /** Service property by which Tandem's REST endpoint finds extra JAX-RS resources to serve at /v1. */
    public static final String RESOURCE_PROPERTY = "tandem.rest.resource";

    private AppsRestResources() {}

    public static List<Object> all(Applications apps) {
        return List.of(new ApplicationsResource(apps), new EntitiesResource(apps), new SensorsResource(apps),
                new ConfigResource(apps), new EffectorsResource(apps), new ActivitiesResource(apps),
                new PersistenceResource(apps));
    }
}
