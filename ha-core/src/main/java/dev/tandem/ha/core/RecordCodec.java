package dev.tandem.ha.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.NodeRecord;

/**
 * JSON form of the plane's records. Decoding never throws: a truncated, garbled or unknown-format
 * record is reported as empty (and the caller treats it as absent); unknown fields are ignored so that
 * a newer minor version can add some.
 */
final class RecordCodec {
    /** Bumped only for changes an older node cannot read; such records are treated as absent. */
    static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordCodec() {}

    static byte[] encode(NodeRecord r) {
        return encode(new Peer(r, 0, 0, false));
    }

    /** A node record with the protocol's fields; older readers ignore them. */
    static byte[] encode(Peer p) {
        NodeRecord r = p.record();
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("nodeId", r.nodeId());
        o.put("nodeUri", r.nodeUri());
        o.put("status", r.status().name());
        o.put("priority", r.priority());
        o.put("version", r.version());
        o.put("epoch", r.epoch());
        o.put("heartbeat", r.heartbeat());
        o.put("localTimestamp", r.localTimestamp());
        if (p.timeoutMillis() > 0) {
            o.put("heartbeatTimeoutMillis", p.timeoutMillis());
        }
        if (p.leaseMillis() > 0) {
            o.put("leaseMillis", p.leaseMillis());
        }
        if (p.holding()) {
            o.put("holding", true);
        }
        if (p.intervalMillis() > 0) {
            o.put("heartbeatIntervalMillis", p.intervalMillis());
        }
        return bytes(o);
    }

    static Optional<NodeRecord> decodeNode(byte[] content, long storeTimestamp) {
        return decodePeer(content, storeTimestamp).map(Peer::record);
    }

    static Optional<Peer> decodePeer(byte[] content, long storeTimestamp) {
        return parse(content).flatMap(o -> guarded(() -> new Peer(new NodeRecord(text(o, "nodeId"),
                optionalText(o, "nodeUri"), ManagementNodeState.valueOf(text(o, "status")), integer(o, "priority"),
                text(o, "version"), number(o, "epoch"), number(o, "heartbeat"), number(o, "localTimestamp"),
                storeTimestamp), Math.max(0, o.path("heartbeatTimeoutMillis").asLong(0)),
                Math.max(0, o.path("leaseMillis").asLong(0)),
                o.path("holding").asBoolean(false), Math.max(0, o.path("heartbeatIntervalMillis").asLong(0)))));
    }

    static byte[] encode(EpochClaim c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("epoch", c.epoch());
        o.put("nodeId", c.nodeId());
        o.put("nodeUri", c.nodeUri());
        o.put("claimedAt", c.claimedAt());
        o.put("reason", c.reason());
        return bytes(o);
    }

    static Optional<EpochClaim> decodeClaim(byte[] content) {
        return parse(content).flatMap(o -> guarded(() -> new EpochClaim(number(o, "epoch"), text(o, "nodeId"),
                optionalText(o, "nodeUri"), number(o, "claimedAt"), optionalText(o, "reason"))));
    }

    static String decodeText(byte[] content) {
        return new String(content, StandardCharsets.UTF_8).trim();
    }

    private static Optional<JsonNode> parse(byte[] content) {
        try {
            JsonNode o = JSON.readTree(content);
            if (o == null || !o.isObject() || o.path("format").asInt(-1) != FORMAT) {
                return Optional.empty();
            }
            return Optional.of(o);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Runs a mapping that throws on a malformed record, turning any failure into empty. */
    private static <T> Optional<T> guarded(java.util.function.Supplier<T> mapping) {
        try {
            return Optional.of(mapping.get());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String optionalText(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new MalformedRecord(field);
        }
        return v.asText();
    }

    private static long number(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.canConvertToLong()) {
            throw new MalformedRecord(field);
        }
        return v.asLong();
    }

    private static int integer(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.canConvertToInt()) {
            throw new MalformedRecord(field);
        }
        return v.asInt();
    }

    private static byte[] bytes(ObjectNode o) {
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + o, e);
        }
    }

    /** A record missing a field or holding one of the wrong type. */
    static final class MalformedRecord extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedRecord(String field) {
            super("missing or malformed field '" + field + "'", null, false, false);
        }
    }
}
