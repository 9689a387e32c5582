package dev.tandem.ha.rest;

import java.util.OptionalLong;
import java.util.TreeMap;

import dev.tandem.ha.api.HaMetrics;
import dev.tandem.ha.api.HaMetrics.StoreLatency;
import dev.tandem.ha.api.ManagementNodeState;

/**
 * {@link HaMetrics} in the Prometheus text exposition format 0.0.4 ({@code GET /v1/server/ha/metrics/prometheus}).
 * Every family has HELP and TYPE lines; counters end in {@code _total}; durations are in seconds.
 */
final class PrometheusText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String REQUESTS_FAILURES_KEY = "failures";
    static final String HOT_COPY_LAG = "tandem_ha_hot_copy_lag_seconds";

    private final StringBuilder out = new StringBuilder(4096);

    private PrometheusText() {}

    /** The exposition of this node's figures, on a node without a hot copy. */
    static String of(HaMetrics m, boolean actingMaster) {
        return of(m, actingMaster, OptionalLong.empty());
    }

    /**
     * The exposition of this node's figures; {@code actingMaster}: MASTER with a valid lease now;
     * {@code hotCopyLagMillis}: the hot copy's lag, or empty when the node keeps no copy (the gauge is then absent).
     */
    static String of(HaMetrics m, boolean actingMaster, OptionalLong hotCopyLagMillis) {
        PrometheusText t = new PrometheusText();
        t.family("tandem_ha_node_info", "gauge", "This node's id and store (described without credentials); always 1.");
        t.sample("tandem_ha_node_info", labels("node_id", m.nodeId(), "store", m.store()), 1);

        t.family("tandem_ha_state", "gauge", "This node's HA state: 1 for the state it is in, 0 for the others.");
        for (ManagementNodeState s : ManagementNodeState.values()) {
            t.sample("tandem_ha_state", labels("state", s.name()), s == m.state() ? 1 : 0);
        }
        t.family("tandem_ha_acting_master", "gauge",
                "1 while this node is MASTER with a valid lease (the only time it does master-only work), else 0.");
        t.sample("tandem_ha_acting_master", "", actingMaster ? 1 : 0);

        t.family("tandem_ha_epoch", "gauge", "The mastership epoch this node holds while MASTER, else the latest it saw.");
        t.sample("tandem_ha_epoch", "", m.epoch());

        t.family("tandem_ha_master_changes_total", "counter",
                "Changes of this node into MASTER (direction=gained) and out of it (direction=lost) since Karaf started.");
        t.sample("tandem_ha_master_changes_total", labels("direction", "gained"), m.masterGained());
        t.sample("tandem_ha_master_changes_total", labels("direction", "lost"), m.masterLost());

        t.gauge("tandem_ha_uptime_seconds", "Time since this node joined the plane (its current incarnation).",
                m.uptimeMillis() / 1000.0);
        t.gauge("tandem_ha_poll_period_seconds", "brooklyn.ha.pollPeriod: how often this node checks the plane.",
                m.pollPeriodMillis() / 1000.0);
        t.gauge("tandem_ha_heartbeat_timeout_seconds",
                "brooklyn.ha.heartbeatTimeout: silence after which a master is presumed dead.",
                m.heartbeatTimeoutMillis() / 1000.0);
        t.gauge("tandem_ha_lease_seconds", "How long a master stays master without renewing its claim.",
                m.leaseMillis() / 1000.0);
        t.gauge("tandem_ha_lease_remaining_seconds",
                "How long this node stays master now without renewing its lease; 0 unless it acts as master.",
                m.leaseRemainingMillis() / 1000.0);

        t.family("tandem_ha_claim_method", "gauge",
                "How mastership is claimed on the store: 1 for the method in use (ATOMIC: create-if-absent; TIMED: a "
                        + "timed protocol bounded by tandem.store.maxWriteLatency); both 0 while out of the plane.");
        for (String method : new String[] {"ATOMIC", "TIMED"}) {
            t.sample("tandem_ha_claim_method", labels("method", method), method.equals(m.claimMethod()) ? 1 : 0);
        }

        t.family("tandem_ha_store_requests_total", "counter", "Requests made to the store since the node joined, by kind.");
        new TreeMap<>(m.storeRequests()).forEach((kind, n) -> {
            if (!REQUESTS_FAILURES_KEY.equals(kind)) {
                t.sample("tandem_ha_store_requests_total", labels("kind", kind), n);
            }
        });
        t.family("tandem_ha_store_failures_total", "counter", "Store requests that failed since the node joined, by kind.");
        new TreeMap<>(m.storeFailures()).forEach((kind, n) ->
                t.sample("tandem_ha_store_failures_total", labels("kind", kind), n));

        String latency = "tandem_ha_store_request_duration_seconds";
        t.family(latency, "histogram", "How long store requests took (failed ones included), by kind.");
        new TreeMap<>(m.storeLatency()).forEach((kind, h) -> t.histogram(latency, kind, h));

        if (hotCopyLagMillis.isPresent()) {
            t.gauge(HOT_COPY_LAG, "HOT_STANDBY and HOT_BACKUP: time since this node's copy of the managed state last "
                    + "confirmed it had applied the whole journal (this node's clock only); absent without a copy.",
                    hotCopyLagMillis.getAsLong() / 1000.0);
        }
        return t.out.toString();
    }

    private void histogram(String name, String kind, StoreLatency h) {
        for (StoreLatency.Bucket b : h.buckets()) {
            sample(name + "_bucket", labels("kind", kind, "le", number(b.le())), b.count());
        }
        sample(name + "_bucket", labels("kind", kind, "le", "+Inf"), h.count());
        sample(name + "_sum", labels("kind", kind), h.sumSeconds());
        sample(name + "_count", labels("kind", kind), h.count());
    }

    private void gauge(String name, String help, double value) {
        family(name, "gauge", help);
        sample(name, "", value);
    }

    private void family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String name, String labels, double value) {
        out.append(name).append(labels).append(' ').append(number(value)).append('\n');
    }

    /** {@code {k1="v1",k2="v2"}}, values escaped as the format wants (backslash, double quote, newline). */
    static String labels(String... keysAndValues) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (i > 0) {
                b.append(',');
            }
            String v = keysAndValues[i + 1] == null ? "" : keysAndValues[i + 1];
            b.append(keysAndValues[i]).append("=\"")
                    .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
        }
        return b.append('}').toString();
    }

    /** Whole numbers without a fraction ({@code 3}, not {@code 3.0}); others as Java writes doubles. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
