package dev.tandem.ha.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.InvalidValueException;

class RestDurationsTest {

    private static final Duration DAY = Duration.ofDays(1);

    @Test
    void brooklynStyleDurations() {
        assertThat(RestDurations.parse("hold", "500ms", DAY)).isEqualTo(Duration.ofMillis(500));
        assertThat(RestDurations.parse("hold", "30s", DAY)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RestDurations.parse("hold", "2m", DAY)).isEqualTo(Duration.ofMinutes(2));
        assertThat(RestDurations.parse("hold", "1h", DAY)).isEqualTo(Duration.ofHours(1));
        assertThat(RestDurations.parse("hold", "1d", DAY)).isEqualTo(DAY);
        assertThat(RestDurations.parse("hold", "1m 30s", DAY)).isEqualTo(Duration.ofSeconds(90));
        assertThat(RestDurations.parse("hold", " 2S ", DAY)).isEqualTo(Duration.ofSeconds(2));
        assertThat(RestDurations.parse("hold", "1500", DAY)).isEqualTo(Duration.ofMillis(1500));
        assertThat(RestDurations.parse("hold", "0", DAY)).isZero();
    }

    @Test
    void malformedNegativeOrTooLongValuesNameTheField() {
        for (String bad : new String[] {"", " ", "soon", "-1s", "5s5", "25h", "1w", "99999999999999999999d", "s"}) {
            assertThatThrownBy(() -> RestDurations.parse("hold", bad, DAY)).as(bad)
                    .isInstanceOfSatisfying(InvalidValueException.class, e -> {
                        assertThat(e.field()).isEqualTo("hold");
                        assertThat(e.accepted()).contains("1d");
                    });
        }
    }

    @Test
    void formatIsTheShortestUnit() {
        assertThat(RestDurations.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(RestDurations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(RestDurations.format(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(RestDurations.format(Duration.ZERO)).isEqualTo("0s");
    }
}
