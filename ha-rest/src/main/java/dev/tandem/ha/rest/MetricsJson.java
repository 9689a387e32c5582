package dev.tandem.ha.rest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tandem.ha.api.HaMetrics;

/**
 * The JSON of {@code GET /v1/server/ha/metrics}: every field of {@link HaMetrics}, as the API's JSON provider writes
 * the record, then {@value #HOT_COPY_LAG}: the hot copy's lag in milliseconds, or null when this node keeps no copy.
 */
final class MetricsJson {
    static final String HOT_COPY_LAG = "hotCopyLagMillis";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private MetricsJson() {}

    static Map<String, Object> of(HaMetrics metrics, OptionalLong hotCopyLagMillis) {
        Map<String, Object> out = JSON.convertValue(metrics, MAP);
        out.put(HOT_COPY_LAG, hotCopyLagMillis.isPresent() ? hotCopyLagMillis.getAsLong() : null);
        return out;
    }
}
