package dev.tandem.ha.apps.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tandem.ha.api.apps.EffectorDefinition;
import dev.tandem.ha.api.apps.ParameterDefinition;
import dev.tandem.ha.apps.model.EntityRecord;
import dev.tandem.ha.apps.model.ManagedModel;
import dev.tandem.ha.apps.model.TaskRecord;
import dev.tandem.ha.apps.types.StartableType;

/**
 * Brooklyn's REST JSON shapes ({@code org.apache.brooklyn.rest.domain}: ApplicationSummary, EntitySummary,
 * SensorSummary, ConfigSummary, EffectorSummary, TaskSummary), built as ordered maps with exactly Brooklyn's
 * field names. Links are paths from the server's root, as Brooklyn writes them.
 */
final class BrooklynJson {
    static final String V1 = "/v1";

    private BrooklynJson() {}

    static String appPath(EntityRecord app) {
        return V1 + "/applications/" + app.applicationId();
    }

    static String entityPath(EntityRecord e) {
        return V1 + "/applications/" + e.applicationId() + "/entities/" + e.id();
    }

    static Map<String, Object> application(EntityRecord app, ManagedModel model) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", app.name());
        List<Map<String, Object>> entities = new ArrayList<>();
        for (EntityRecord c : model.children(app)) {
            Map<String, Object> es = new LinkedHashMap<>();
            es.put("name", c.name());
            es.put("type", c.type());
            es.put("config", stringValues(c.config()));
            entities.add(es);
        }
        // Brooklyn's ApplicationSpec has either a type or entities, never both
        spec.put("type", entities.isEmpty() ? app.type() : null);
        spec.put("entities", entities.isEmpty() ? null : entities);
        spec.put("locations", List.of());
        spec.put("config", stringValues(app.config()));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", app.id());
        o.put("spec", spec);
        o.put("status", status(app));
        o.put("links", links("self", appPath(app), "entities", appPath(app) + "/entities"));
        return o;
    }

    /** Brooklyn's ApplicationSummary.Status from the application's {@code service.state} sensor. */
    static String status(EntityRecord app) {
        Object state = app.sensors().get(StartableType.SERVICE_STATE);
        if (state == null) {
            return "UNKNOWN";
        }
        switch (state.toString()) {
            case "created": return "ACCEPTED";
            case "starting": return "STARTING";
            case "running": return "RUNNING";
            case "stopping": return "STOPPING";
            case "stopped": return "STOPPED";
            case "on-fire": return "ERROR";
            default: return "UNKNOWN";
        }
    }

    static Map<String, Object> entity(EntityRecord e) {
        String self = entityPath(e);
        Map<String, Object> links = links("self", self, "application", V1 + "/applications/" + e.applicationId(),
                "children", self + "/children", "config", self + "/config", "sensors", self + "/sensors",
                "effectors", self + "/effectors");
        if (e.parentId() != null) {
            links.put("parent", V1 + "/applications/" + e.applicationId() + "/entities/" + e.parentId());
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", e.id());
        o.put("name", e.name());
        o.put("type", e.type());
        o.put("catalogItemId", null);
        o.put("links", links);
        return o;
    }

    static Map<String, Object> sensor(EntityRecord e, String name, Object value) {
        String self = entityPath(e) + "/sensors/" + name;
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", name);
        o.put("type", javaType(value));
        o.put("description", "");
        o.put("links", links("self", self, "application", V1 + "/applications/" + e.applicationId(),
                "entity", entityPath(e), "action:json", self));
        return o;
    }

    static Map<String, Object> config(EntityRecord e, String key, Object value) {
        String self = entityPath(e) + "/config/" + key;
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", key);
        o.put("type", javaType(value));
        o.put("description", "");
        o.put("defaultValue", null);
        o.put("reconfigurable", true);
        o.put("label", key);
        o.put("priority", null);
        o.put("possibleValues", null);
        o.put("pinned", false);
        o.put("constraints", List.of());
        o.put("links", links("self", self, "application", V1 + "/applications/" + e.applicationId(),
                "entity", entityPath(e), "action:json", self));
        return o;
    }

    static Map<String, Object> effector(EntityRecord e, EffectorDefinition d) {
        List<Map<String, Object>> params = new ArrayList<>();
        for (ParameterDefinition p : d.parameters()) {
            Map<String, Object> po = new LinkedHashMap<>();
            po.put("name", p.name());
            po.put("type", p.type().javaName());
            po.put("description", p.description());
            po.put("defaultValue", p.defaultValue());
            po.put("shouldSanitize", false);
            params.add(po);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", d.name());
        o.put("returnType", d.returnType());
        o.put("parameters", params);
        o.put("description", d.description());
        o.put("links", links("self", entityPath(e) + "/effectors/" + d.name(), "entity", entityPath(e),
                "application", V1 + "/applications/" + e.applicationId()));
        return o;
    }

    static Map<String, Object> task(TaskRecord t) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", t.id());
        o.put("displayName", t.displayName());
        o.put("description", "");
        o.put("entityId", t.entityId());
        o.put("entityDisplayName", t.entityName());
        o.put("tags", List.of());
        o.put("submitTimeUtc", t.submitTime());
        o.put("startTimeUtc", t.submitTime());
        o.put("endTimeUtc", t.endTime());
        o.put("currentStatus", t.status());
        o.put("result", t.result());
        o.put("isError", t.isError());
        o.put("isCancelled", false);
        o.put("children", List.of());
        o.put("submittedByTask", null);
        o.put("blockingTask", null);
        o.put("blockingDetails", null);
        o.put("detailedStatus", t.status() + (t.result() != null && t.isError() ? ": " + t.result() : ""));
        o.put("streams", Map.of());
        o.put("links", links("self", V1 + "/activities/" + t.id(), "children", V1 + "/activities/" + t.id() + "/children"));
        return o;
    }

    static String javaType(Object value) {
        if (value == null) {
            return "java.lang.Object";
        }
        if (value instanceof Map) {
            return "java.util.Map";
        }
        if (value instanceof List) {
            return "java.util.List";
        }
        return value.getClass().getName();
    }

    /** Brooklyn's spec shows config as strings. */
    private static Map<String, String> stringValues(Map<String, Object> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v == null ? null : v.toString()));
        return out;
    }

    private static Map<String, Object> links(String... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
