package dev.tandem.ha.api.apps;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable view of one entity of the managed state.
 *
 * @param parentId the parent's id, or null for an application's root entity
 * @param sensors  the current sensor values (JSON-compatible values)
 */
public record EntityView(String id, String name, String typeId, String applicationId, String parentId,
        List<String> childIds, Map<String, Object> config, Map<String, Object> sensors) {
    public EntityView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(typeId, "typeId");
        Objects.requireNonNull(applicationId, "applicationId");
        childIds = List.copyOf(childIds);
        config = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
        sensors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sensors));
    }
}
