package dev.tandem.ha.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tandem.ha.api.HaMetrics;
import dev.tandem.ha.api.HaMetrics.StoreLatency;
import dev.tandem.ha.api.ManagementNodeState;

/**
 * The Prometheus text checked by Prometheus' own parser and linter ({@code promtool check metrics}), and the example
 * alert rules of {@code docs/alerts.yml} checked and unit-tested by {@code promtool check rules} / {@code test rules}.
 */
class PrometheusTextTest {

    private static Promtool promtool;

    @TempDir
    Path dir;

    @BeforeAll
    static void findPromtool() throws Exception {
        promtool = Promtool.ensure();
    }

    static HaMetrics metrics(String store, Map<String, StoreLatency> latency) {
        return new HaMetrics("node-a", ManagementNodeState.MASTER, 7, 90_500, 1_000, 30_000, 20_000, store, "TIMED",
                Map.of("read", 120L, "exists", 3L, "put", 40L, "create", 2L, "delete", 0L, "list", 1L, "failures", 4L),
                List.of(new HaMetrics.StateChange(1_700_000_000_000L, ManagementNodeState.INITIALIZING,
                        ManagementNodeState.MASTER, 7, "elected")),
                2, 1, Map.of("put", 3L, "read", 1L, "list", 0L), latency, 12_500);
    }

    static StoreLatency latency() {
        return new StoreLatency(5, 0.0123, List.of(new StoreLatency.Bucket(0.001, 1), new StoreLatency.Bucket(0.0025, 3),
                new StoreLatency.Bucket(0.005, 4), new StoreLatency.Bucket(10, 5)));
    }

    private Promtool.Result checkMetrics(String text) throws Exception {
        Path file = dir.resolve("metrics.txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return promtool.run(List.of("check", "metrics"), file);
    }

    @Test
    void promtoolParsesAndLintsTheTextWithoutAProblem() throws Exception {
        String text = PrometheusText.of(metrics("folder /var/tandem/store", Map.of("put", latency(),
                "read", latency(), "list", new StoreLatency(0, 0, List.of(new StoreLatency.Bucket(0.001, 0))))), true);

        Promtool.Result r = checkMetrics(text);

        assertThat(r.exitCode()).as(r.output() + "\n---\n" + text).isZero();
        assertThat(r.output()).as(text).isBlank();
    }

    @Test
    void labelValuesThatNeedEscapingStillParse() throws Exception {
        String text = PrometheusText.of(metrics("s3 \"bucket\" at C:\\store\nsecond line", Map.of()), false);

        Promtool.Result r = checkMetrics(text);

        assertThat(r.exitCode()).as(r.output() + "\n---\n" + text).isZero();
        assertThat(text).contains("store=\"s3 \\\"bucket\\\" at C:\\\\store\\nsecond line\"");
    }

    @Test
    void aHotCopysLagIsAGaugeInSecondsThatPromtoolAccepts() throws Exception {
        String text = PrometheusText.of(metrics("folder /s", Map.of("put", latency())), false, OptionalLong.of(2_345));

        Promtool.Result r = checkMetrics(text);

        assertThat(r.exitCode()).as(r.output() + "\n---\n" + text).isZero();
        assertThat(r.output()).as(text).isBlank();
        assertThat(text).contains("# TYPE tandem_ha_hot_copy_lag_seconds gauge\n", "\ntandem_ha_hot_copy_lag_seconds 2.345\n");
        assertThat(PrometheusText.of(metrics("folder /s", Map.of()), true, OptionalLong.empty()))
                .as("no copy: the gauge is absent, not 0").doesNotContain("tandem_ha_hot_copy_lag_seconds");
    }

    @Test
    void promtoolRefusesBrokenText() throws Exception {
        // the check above can fail: a sample whose family has another type is refused
        String broken = PrometheusText.of(metrics("folder", Map.of()), true)
                + "tandem_ha_epoch{le=\"x\"} not-a-number\n";

        assertThat(checkMetrics(broken).exitCode()).isNotZero();
    }

    @Test
    void theFiguresAreThoseOfTheMetrics() {
        String text = PrometheusText.of(metrics("folder /s", Map.of("put", latency())), true);

        assertThat(text).contains("tandem_ha_state{state=\"MASTER\"} 1\n", "tandem_ha_state{state=\"HOT_STANDBY\"} 0\n",
                "tandem_ha_acting_master 1\n", "tandem_ha_epoch 7\n",
                "tandem_ha_master_changes_total{direction=\"gained\"} 2\n",
                "tandem_ha_master_changes_total{direction=\"lost\"} 1\n", "tandem_ha_uptime_seconds 90.5\n",
                "tandem_ha_poll_period_seconds 1\n", "tandem_ha_heartbeat_timeout_seconds 30\n",
                "tandem_ha_lease_seconds 20\n", "tandem_ha_lease_remaining_seconds 12.5\n", "tandem_ha_claim_method{method=\"TIMED\"} 1\n",
                "tandem_ha_claim_method{method=\"ATOMIC\"} 0\n", "tandem_ha_store_requests_total{kind=\"read\"} 120\n",
                "tandem_ha_store_failures_total{kind=\"put\"} 3\n",
                "tandem_ha_store_request_duration_seconds_bucket{kind=\"put\",le=\"0.0025\"} 3\n",
                "tandem_ha_store_request_duration_seconds_bucket{kind=\"put\",le=\"+Inf\"} 5\n",
                "tandem_ha_store_request_duration_seconds_sum{kind=\"put\"} 0.0123\n",
                "tandem_ha_store_request_duration_seconds_count{kind=\"put\"} 5\n",
                "tandem_ha_node_info{node_id=\"node-a\",store=\"folder /s\"} 1\n");
        assertThat(text).doesNotContain("kind=\"failures\"");
        assertThat(text.lines().filter(l -> l.startsWith("tandem_ha_state{")).count())
                .isEqualTo(ManagementNodeState.values().length);
    }

    @Test
    void theExampleAlertRulesAreValidAndFireWhenTheyShould() throws Exception {
        Path rules = Promtool.repositoryRoot().resolve("docs/alerts.yml");
        Promtool.Result check = promtool.run(List.of("check", "rules", rules.toString()), null);
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 7 rules found");

        String tests;
        try (var in = getClass().getResourceAsStream("alerts-test.yml")) {
            tests = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("RULE_FILE", rules.toString());
        }
        Path testFile = dir.resolve("alerts-test.yml");
        Files.writeString(testFile, tests, StandardCharsets.UTF_8);
        Promtool.Result test = promtool.run(List.of("test", "rules", testFile.toString()), null);
        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }
}
