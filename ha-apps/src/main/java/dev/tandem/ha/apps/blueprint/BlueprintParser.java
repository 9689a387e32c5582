package dev.tandem.ha.apps.blueprint;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a blueprint into an {@link EntitySpec} tree whose root is the application. Two forms are accepted:
 * <ul>
 * <li>CAMP YAML, the subset that matters: {@code name}, {@code services} (each with {@code type}, {@code name},
 * {@code id}, {@code brooklyn.config}, {@code brooklyn.children}), a top-level {@code brooklyn.config};
 * {@code location}/{@code locations} are accepted and unused (Tandem provisions nothing).</li>
 * <li>Brooklyn's JSON {@code ApplicationSpec}: {@code name}, {@code type}, {@code entities} (each {@code name},
 * {@code type}, {@code config}), {@code locations} (unused), {@code config}.</li>
 * </ul>
 * Only safe YAML is read (no arbitrary Java objects).
 */
public final class BlueprintParser {
    public static final String APPLICATION_TYPE = "org.apache.brooklyn.entity.stock.BasicApplication";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BlueprintParser() {}

    /** Parses a YAML (or JSON, which is YAML too) blueprint. */
    public static EntitySpec parse(String text) {
        Object doc;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(50);
            doc = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw new BlueprintException("the blueprint is not valid YAML: " + firstLine(e.getMessage()));
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new BlueprintException("the blueprint must be a YAML map with 'services' (CAMP) or 'entities' "
                    + "(Brooklyn's ApplicationSpec), not " + (doc == null ? "empty" : "a " + doc.getClass().getSimpleName()));
        }
        return fromMap(map);
    }

    /** Parses a JSON document (Brooklyn's ApplicationSpec, or CAMP written as JSON). */
    public static EntitySpec parseJson(byte[] json) {
        try {
            Object doc = JSON.readValue(json, Object.class);
            if (!(doc instanceof Map<?, ?> map)) {
                throw new BlueprintException("the JSON blueprint must be an object with 'services' or 'entities'");
            }
            return fromMap(map);
        } catch (IOException e) {
            throw new BlueprintException("the blueprint is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static EntitySpec fromMap(Map<?, ?> doc) {
        String name = string(doc, "name", "the application");
        Map<String, Object> config = new java.util.LinkedHashMap<>(map(doc, "brooklyn.config", "the application"));
        config.putAll(map(doc, "config", "the application"));
        String type = doc.containsKey("type") ? string(doc, "type", "the application") : APPLICATION_TYPE;
        List<EntitySpec> children = new ArrayList<>();
        if (doc.containsKey("services")) {
            for (Object s : list(doc, "services", "the application")) {
                children.add(service(s, "services[" + children.size() + "]"));
            }
        } else if (doc.containsKey("entities")) {
            for (Object s : list(doc, "entities", "the application")) {
                children.add(specEntity(s, "entities[" + children.size() + "]"));
            }
        } else {
            throw new BlueprintException("the blueprint has neither 'services' (CAMP YAML) nor 'entities' (Brooklyn's "
                    + "ApplicationSpec JSON); keys found: " + doc.keySet());
        }
        if (children.isEmpty() && !doc.containsKey("type")) {
            throw new BlueprintException("the blueprint's 'services' is empty: give at least one service with a 'type'");
        }
        return new EntitySpec(type, name == null ? "Application" : name, null, config, children);
    }

    private static EntitySpec service(Object o, String where) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new BlueprintException(where + " must be a map with 'type', not '" + o + "'");
        }
        String type = string(m, "type", where);
        if (type == null || type.isBlank()) {
            throw new BlueprintException(where + " has no 'type'");
        }
        List<EntitySpec> children = new ArrayList<>();
        if (m.containsKey("brooklyn.children")) {
            for (Object c : list(m, "brooklyn.children", where)) {
                children.add(service(c, where + ".brooklyn.children[" + children.size() + "]"));
            }
        }
        return new EntitySpec(type.trim(), string(m, "name", where), string(m, "id", where),
                map(m, "brooklyn.config", where), children);
    }

    private static EntitySpec specEntity(Object o, String where) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new BlueprintException(where + " must be an object with 'type', not '" + o + "'");
        }
        String type = string(m, "type", where);
        if (type == null || type.isBlank()) {
            throw new BlueprintException(where + " has no 'type'");
        }
        return new EntitySpec(type.trim(), string(m, "name", where), null, map(m, "config", where), List.of());
    }

    private static String string(Map<?, ?> m, String key, String where) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Map || v instanceof List) {
            throw new BlueprintException(where + ": '" + key + "' must be a string, not " + v);
        }
        return v.toString();
    }

    private static Map<String, Object> map(Map<?, ?> m, String key, String where) {
        Object v = m.get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw new BlueprintException(where + ": '" + key + "' must be a map, not '" + v + "'");
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        map.forEach((k, x) -> out.put(String.valueOf(k), jsonCompatible(x)));
        return out;
    }

    private static List<?> list(Map<?, ?> m, String key, String where) {
        Object v = m.get(key);
        if (!(v instanceof List<?> l)) {
            throw new BlueprintException(where + ": '" + key + "' must be a list, not '" + v + "'");
        }
        return l;
    }

    /** YAML may give dates, sets or byte arrays: keep values JSON-compatible by converting through JSON. */
    private static Object jsonCompatible(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof java.util.Date d) {
            return d.toInstant().toString();
        }
        return JSON.convertValue(v, Object.class);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " " + s.substring(nl + 1).replace('\n', ' ').trim();
    }
}
