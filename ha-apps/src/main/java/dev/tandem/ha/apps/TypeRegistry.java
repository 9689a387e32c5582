package dev.tandem.ha.apps;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.tandem.ha.api.apps.EntityType;

/** The entity types registered now, by type id (a type registered twice: the first one stays). */
public final class TypeRegistry {
    private final Map<String, EntityType> types = new ConcurrentHashMap<>();

    public void add(EntityType type) {
        types.putIfAbsent(type.typeId(), type);
    }

    public void remove(EntityType type) {
        types.remove(type.typeId(), type);
    }

    public Optional<EntityType> get(String typeId) {
        return Optional.ofNullable(types.get(typeId));
    }

    /** Type ids and descriptions, sorted. */
    public Map<String, String> available() {
        Map<String, String> out = new TreeMap<>();
        types.values().forEach(t -> out.put(t.typeId(), t.description()));
        return out;
    }
}
