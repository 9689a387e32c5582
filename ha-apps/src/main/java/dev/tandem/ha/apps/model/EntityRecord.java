package dev.tandem.ha.apps.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.tandem.ha.api.apps.EntityView;

/**
 * One entity as the model holds it: immutable; a change replaces the record. An application is the entity with
 * no parent; its id is the application's id.
 *
 * @param config  config values (JSON-compatible: String, Number, Boolean, List, Map, null)
 * @param sensors current sensor values (JSON-compatible)
 */
public record EntityRecord(String id, String name, String type, String applicationId, String parentId,
        List<String> children, Map<String, Object> config, Map<String, Object> sensors) {

    public EntityRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(applicationId, "applicationId");
        name = name == null ? type : name;
        children = List.copyOf(children);
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
        sensors = Collections.unmodifiableMap(new LinkedHashMap<>(sensors));
    }

    public boolean isApplication() {
        return parentId == null;
    }

    EntityRecord withSensor(String sensor, Object value) {
        Map<String, Object> s = new LinkedHashMap<>(sensors);
        s.put(sensor, value);
        return new EntityRecord(id, name, type, applicationId, parentId, children, config, s);
    }

    EntityRecord withoutSensor(String sensor) {
        Map<String, Object> s = new LinkedHashMap<>(sensors);
        s.remove(sensor);
        return new EntityRecord(id, name, type, applicationId, parentId, children, config, s);
    }

    EntityRecord withConfig(String key, Object value) {
        Map<String, Object> c = new LinkedHashMap<>(config);
        c.put(key, value);
        return new EntityRecord(id, name, type, applicationId, parentId, children, c, sensors);
    }

    EntityRecord withChild(String child) {
        List<String> c = new ArrayList<>(children);
        c.add(child);
        return new EntityRecord(id, name, type, applicationId, parentId, c, config, sensors);
    }

    public EntityView view() {
        return new EntityView(id, name, type, applicationId, parentId, children, config, sensors);
    }
}
