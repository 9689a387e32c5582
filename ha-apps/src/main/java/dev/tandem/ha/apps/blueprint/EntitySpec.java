package dev.tandem.ha.apps.blueprint;

import java.util.List;
import java.util.Map;

/** One entity of a parsed blueprint, before it is given an id. */
public record EntitySpec(String type, String name, String planId, Map<String, Object> config, List<EntitySpec> children) {
    public EntitySpec {
        config = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
        children = List.copyOf(children);
    }
}
