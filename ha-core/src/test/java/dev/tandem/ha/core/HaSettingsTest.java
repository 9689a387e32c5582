package dev.tandem.ha.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.Durations;
import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.InvalidValueException;
import dev.tandem.ha.api.PersistMode;

class HaSettingsTest {
    private static final Path BASE = Path.of("/opt/tandem");
    /** A host with no interface but loopback: the default nodeUri falls back to 127.0.0.1. */
    private static final NodeUriResolver LOOPBACK_ONLY = new NodeUriResolver(java.util.List::of);

    @Test
    void defaultsAreBrooklyns() throws Exception {
        HaSettings s = HaSettings.from(Map.of(), BASE, LOOPBACK_ONLY);
        assertThat(s.mode()).isEqualTo(HighAvailabilityMode.AUTO);
        assertThat(s.persistMode()).isEqualTo(PersistMode.AUTO);
        assertThat(s.pollPeriod()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.persistPeriod()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.removeInactiveOnStartup()).isZero();
        assertThat(s.persistenceDir()).isEqualTo(BASE.resolve("persisted-state"));
        assertThat(s.nodeUri()).isEqualTo("http://127.0.0.1:8181");
    }

    @Test
    void readsEveryKeyInAnyCase() throws Exception {
        HaSettings s = HaSettings.from(Map.of(HaSettings.HA_MODE, "hot_standby", HaSettings.PERSIST_MODE, "Rebind",
                HaSettings.PERSISTENCE_DIR, "../shared", HaSettings.POLL_PERIOD, "500ms", HaSettings.HEARTBEAT_TIMEOUT,
                "2m", HaSettings.PRIORITY, "7", HaSettings.HTTP_PORT, "8081"), BASE, LOOPBACK_ONLY);
        assertThat(s.mode()).isEqualTo(HighAvailabilityMode.HOT_STANDBY);
        assertThat(s.persistMode()).isEqualTo(PersistMode.REBIND);
        assertThat(s.persistenceDir()).isEqualTo(Path.of("/opt/shared"));
        assertThat(s.pollPeriod()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.heartbeatTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.priority()).isEqualTo(7);
        assertThat(s.nodeUri()).isEqualTo("http://127.0.0.1:8081");
    }

    @Test
    void badValuesAreAllNamedWithWhatIsAccepted() {
        assertThatThrownBy(() -> HaSettings.from(Map.of(HaSettings.HA_MODE, "LEADER", HaSettings.POLL_PERIOD, "fast",
                HaSettings.PRIORITY, "high"), BASE))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("highAvailabilityMode='LEADER' is not valid; accepted: DISABLED, AUTO, MASTER, "
                        + "STANDBY, HOT_STANDBY, HOT_BACKUP (any case)")
                .hasMessageContaining("brooklyn.ha.pollPeriod='fast' is not valid; accepted: a duration such as 500ms")
                .hasMessageContaining("tandem.ha.priority='high' is not valid; accepted: an integer");
    }

    @Test
    void timeoutMustLeaveRoomForTheLease() {
        assertThatThrownBy(() -> HaSettings.from(Map.of(HaSettings.POLL_PERIOD, "1s", HaSettings.HEARTBEAT_TIMEOUT, "2s"), BASE))
                .hasMessageContaining("brooklyn.ha.heartbeatTimeout='2s' is not valid; accepted: a duration more than "
                        + "twice brooklyn.ha.pollPeriod (1s)");
        assertThatThrownBy(() -> HaSettings.from(Map.of(HaSettings.HEARTBEAT_TIMEOUT, "500ms"), BASE))
                .hasMessageContaining("brooklyn.ha.heartbeatTimeout='500ms'");
    }

    @Test
    void leaseAndTimeoutSatisfyTheSafetyInequality() throws Exception {
        for (String[] pt : new String[][] {{"1s", "3s"}, {"1s", "30s"}, {"500ms", "2s"}, {"10s", "1h"}}) {
            HaSettings s = HaSettings.from(Map.of(HaSettings.POLL_PERIOD, pt[0], HaSettings.HEARTBEAT_TIMEOUT, pt[1]), BASE);
            double rho = HaSettings.CLOCK_RATE_BOUND;
            double masterSide = (s.lease().toNanos() + s.renewalDeadline().toNanos()) / (1 - rho);
            double standbySide = s.heartbeatTimeout().toNanos() / (1 + rho);
            assertThat(masterSide).as("lease for %s/%s", pt[0], pt[1]).isLessThanOrEqualTo(standbySide);
            assertThat(s.lease()).isGreaterThan(s.pollPeriod());
            assertThat(s.fenceDelay().toNanos() / (1 + rho)).isGreaterThanOrEqualTo(s.lease().toNanos() / (1 - rho));
        }
    }

    @Test
    void inconsistentModesAreRefused() {
        assertThatThrownBy(() -> HaSettings.from(Map.of(HaSettings.PERSIST_MODE, "disabled"), BASE))
                .hasMessageContaining("persistMode='DISABLED' is not valid; accepted: AUTO, REBIND or CLEAN while "
                        + "highAvailabilityMode is AUTO");
        assertThatThrownBy(() -> HaSettings.from(Map.of(HaSettings.PERSIST_MODE, "clean", HaSettings.HA_MODE, "standby"), BASE))
                .hasMessageContaining("persistMode='CLEAN' is not valid");
    }

    @Test
    void durationsAsBrooklynWritesThem() {
        assertThat(Durations.parse("k", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("k", "1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(Durations.parse("k", "30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("k", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("k", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("k", "1m 30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("k", "1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("k", "250")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("k", "2 minutes")).isEqualTo(Duration.ofMinutes(2));
        for (String bad : new String[] {"", "s", "1x", "fast", "1s2", "-1s", "1s x"}) {
            assertThatThrownBy(() -> Durations.parse("brooklyn.ha.pollPeriod", bad)).as(bad)
                    .isInstanceOf(InvalidValueException.class).hasMessageContaining("brooklyn.ha.pollPeriod=");
        }
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
    }
}
