package dev.tandem.ha.apps.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tandem.ha.apps.model.Change;
import dev.tandem.ha.apps.model.EntityRecord;
import dev.tandem.ha.apps.model.ManagedModel;
import dev.tandem.ha.apps.model.TaskRecord;

/** The journal's JSON: segments, the snapshot and its head (docs/managed-state.md describes the format). */
public final class JournalCodec {
    public static final int FORMAT = 1;
    static final ObjectMapper JSON = new ObjectMapper();

    /** A segment as read: its position and its changes. */
    public record Segment(long seq, long epoch, String prev, List<Change> changes) {}

    /** Where a reader or the writer stands: the last segment applied and its digest (0 and "" before any). */
    public record Position(long seq, String hash) {
        public static final Position START = new Position(0, "");
    }

    /** A snapshot: the model as it was after segment {@code at.seq()}. */
    public record Snapshot(Position at, ManagedModel.State state) {}

    private JournalCodec() {}

    public static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] segment(long seq, long epoch, String prev, List<Change> changes) {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("seq", seq);
        o.put("epoch", epoch);
        o.put("prev", prev);
        ArrayNode a = o.putArray("changes");
        changes.forEach(c -> a.add(change(c)));
        return bytes(o);
    }

    public static Segment parseSegment(byte[] bytes) throws IOException {
        JsonNode o = read(bytes);
        List<Change> changes = new ArrayList<>();
        for (JsonNode c : o.path("changes")) {
            changes.add(change(c));
        }
        return new Segment(o.path("seq").asLong(), o.path("epoch").asLong(), o.path("prev").asText(""), changes);
    }

    public static byte[] snapshot(Snapshot s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("seq", s.at().seq());
        o.put("hash", s.at().hash());
        ArrayNode e = o.putArray("entities");
        s.state().entities().forEach(r -> e.add(entity(r)));
        ArrayNode t = o.putArray("tasks");
        s.state().tasks().forEach(r -> t.add(task(r)));
        return bytes(o);
    }

    public static Snapshot parseSnapshot(byte[] bytes) throws IOException {
        JsonNode o = read(bytes);
        List<EntityRecord> entities = new ArrayList<>();
        o.path("entities").forEach(n -> entities.add(entity(n)));
        List<TaskRecord> tasks = new ArrayList<>();
        o.path("tasks").forEach(n -> tasks.add(task(n)));
        return new Snapshot(new Position(o.path("seq").asLong(), o.path("hash").asText("")),
                new ManagedModel.State(entities, tasks));
    }

    public static byte[] head(Position p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("seq", p.seq());
        o.put("hash", p.hash());
        return bytes(o);
    }

    public static Position parseHead(byte[] bytes) throws IOException {
        JsonNode o = read(bytes);
        return new Position(o.path("seq").asLong(), o.path("hash").asText(""));
    }

    // ------------------------------------------------------------ changes

    static ObjectNode change(Change c) {
        ObjectNode o = JSON.createObjectNode();
        if (c instanceof Change.Deploy d) {
            o.put("op", "deploy");
            ArrayNode a = o.putArray("entities");
            d.entities().forEach(e -> a.add(entity(e)));
        } else if (c instanceof Change.DeleteApplication d) {
            o.put("op", "delete").put("app", d.applicationId());
        } else if (c instanceof Change.SetSensors s) {
            o.put("op", "sensors").put("entity", s.entityId()).set("values", JSON.valueToTree(s.values()));
        } else if (c instanceof Change.SetConfig s) {
            o.put("op", "config").put("entity", s.entityId()).put("key", s.key()).set("value", JSON.valueToTree(s.value()));
        } else if (c instanceof Change.TaskStarted t) {
            o.put("op", "taskStarted").set("task", task(t.task()));
        } else if (c instanceof Change.TaskEnded t) {
            o.put("op", "taskEnded").put("task", t.taskId()).put("end", t.endTime()).put("status", t.status());
            o.set("result", JSON.valueToTree(t.result()));
            ArrayNode a = o.putArray("sensors");
            t.sensors().forEach(s -> a.add(change(s)));
        } else if (c instanceof Change.Reset) {
            o.put("op", "reset");
        } else {
            throw new IllegalArgumentException("unknown change " + c);
        }
        return o;
    }

    static Change change(JsonNode o) {
        String op = o.path("op").asText();
        switch (op) {
            case "deploy": {
                List<EntityRecord> es = new ArrayList<>();
                o.path("entities").forEach(n -> es.add(entity(n)));
                return new Change.Deploy(es);
            }
            case "delete":
                return new Change.DeleteApplication(o.path("app").asText());
            case "sensors":
                return new Change.SetSensors(o.path("entity").asText(), map(o.path("values")));
            case "config":
                return new Change.SetConfig(o.path("entity").asText(), o.path("key").asText(), value(o.get("value")));
            case "taskStarted":
                return new Change.TaskStarted(task(o.path("task")));
            case "taskEnded": {
                List<Change.SetSensors> sensors = new ArrayList<>();
                o.path("sensors").forEach(n -> sensors.add((Change.SetSensors) change(n)));
                return new Change.TaskEnded(o.path("task").asText(), o.path("end").asLong(), o.path("status").asText(),
                        value(o.get("result")), sensors);
            }
            case "reset":
                return new Change.Reset();
            default:
                throw new IllegalArgumentException("unknown change '" + op + "' in the journal");
        }
    }

    static ObjectNode entity(EntityRecord e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", e.id()).put("name", e.name()).put("type", e.type()).put("app", e.applicationId());
        o.put("parent", e.parentId());
        ArrayNode c = o.putArray("children");
        e.children().forEach(c::add);
        o.set("config", JSON.valueToTree(e.config()));
        o.set("sensors", JSON.valueToTree(e.sensors()));
        return o;
    }

    static EntityRecord entity(JsonNode o) {
        List<String> children = new ArrayList<>();
        o.path("children").forEach(n -> children.add(n.asText()));
        return new EntityRecord(o.path("id").asText(), o.path("name").asText(), o.path("type").asText(),
                o.path("app").asText(), o.path("parent").isTextual() ? o.get("parent").asText() : null, children,
                map(o.path("config")), map(o.path("sensors")));
    }

    static ObjectNode task(TaskRecord t) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", t.id()).put("name", t.displayName()).put("entity", t.entityId()).put("entityName", t.entityName());
        o.put("effector", t.effector()).put("submit", t.submitTime());
        if (t.endTime() != null) {
            o.put("end", t.endTime());
        }
        o.put("status", t.status()).set("result", JSON.valueToTree(t.result()));
        return o;
    }

    static TaskRecord task(JsonNode o) {
        return new TaskRecord(o.path("id").asText(), o.path("name").asText(), o.path("entity").asText(),
                o.path("entityName").asText(), o.path("effector").asText(), o.path("submit").asLong(),
                o.has("end") ? o.get("end").asLong() : null, o.path("status").asText(), value(o.get("result")));
    }

    static Map<String, Object> map(JsonNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), value(e.getValue())));
        return m;
    }

    static Object value(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : JSON.convertValue(n, Object.class);
    }

    private static JsonNode read(byte[] bytes) throws IOException {
        JsonNode o = JSON.readTree(bytes);
        if (o == null || o.path("format").asInt(-1) != FORMAT) {
            throw new IOException("not a journal object of format " + FORMAT + ": "
                    + new String(bytes, 0, Math.min(bytes.length, 80), StandardCharsets.UTF_8));
        }
        return o;
    }

    private static byte[] bytes(JsonNode o) {
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
