package dev.tandem.ha.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.InvalidValueException;
import dev.tandem.ha.api.ManagementNodeState;

/** The resource's own logic, called directly with a fake HA service. */
class ServerResourceTest {

    private final FakeHighAvailabilityService ha = new FakeHighAvailabilityService();
    private final ServerResource resource = new ServerResource(ha, new FakeServerEnvironment());

    @Test
    void healthyOnlyWhileAHealthyMemberOfThePlane() {
        for (ManagementNodeState state : ManagementNodeState.values()) {
            ha.state = state;
            boolean expected = state == ManagementNodeState.MASTER || state == ManagementNodeState.HOT_STANDBY
                    || state == ManagementNodeState.STANDBY || state == ManagementNodeState.HOT_BACKUP;
            assertThat(resource.isHealthy()).as(state.name()).isEqualTo(expected);
        }
    }

    @Test
    void upFromTheEndOfStartUntilTheNodeStops() {
        for (ManagementNodeState state : ManagementNodeState.values()) {
            ha.state = state;
            boolean expected = state != ManagementNodeState.INITIALIZING && state != ManagementNodeState.TERMINATED;
            assertThat(resource.isUp()).as(state.name()).isEqualTo(expected);
        }
    }

    @Test
    void planeIdIsAJsonStringOrNull() {
        assertThat(resource.getPlaneId().isTextual()).isTrue();
        assertThat(resource.getPlaneId().asText()).isEqualTo("plane-1");
        ha.planeId = null;
        assertThat(resource.getPlaneId().isNull()).isTrue();
    }

    @Test
    void modeIsParsedInAnyCaseAndThePreviousStateReturned() {
        ha.becomeStandby();

        assertThat(resource.setHighAvailabilityNodeState(" master ")).isEqualTo(ManagementNodeState.HOT_STANDBY);
        assertThat(ha.lastMode).isEqualTo(HighAvailabilityMode.MASTER);
        resource.setHighAvailabilityNodeState("hot-backup");
        assertThat(ha.lastMode).isEqualTo(HighAvailabilityMode.HOT_BACKUP);
    }

    @Test
    void aBadOrMissingModeNamesTheFieldAndTheAcceptedValues() {
        for (String bad : new String[] {"bogus", "", null}) {
            assertThatThrownBy(() -> resource.setHighAvailabilityNodeState(bad))
                    .isInstanceOfSatisfying(InvalidValueException.class, e -> {
                        assertThat(e.field()).isEqualTo("mode");
                        assertThat(e.value()).isEqualTo(bad);
                        assertThat(e.accepted()).contains("HOT_STANDBY");
                    });
        }
        assertThat(ha.lastMode).isNull();
    }

    @Test
    void priorityIsParsedAsAnInteger() {
        assertThat(resource.setHighAvailabilityPriority(" 12 ")).isEqualTo(5);
        assertThat(resource.getHighAvailabilityPriority()).isEqualTo(12);
        assertThat(resource.setHighAvailabilityPriority("-3")).isEqualTo(12);

        for (String bad : new String[] {"x", "1e3", "2147483648", "", null}) {
            assertThatThrownBy(() -> resource.setHighAvailabilityPriority(bad))
                    .isInstanceOfSatisfying(InvalidValueException.class, e -> {
                        assertThat(e.field()).isEqualTo("priority");
                        assertThat(e.accepted()).startsWith("an integer");
                    });
        }
        assertThat(ha.priority).isEqualTo(-3);
    }

    @Test
    void statesSummariseThePlaneView() {
        ha.becomeStandby();

        HaSummary summary = resource.getHighAvailabilityPlaneStates();

        assertThat(summary.planeId()).isEqualTo("plane-1");
        assertThat(summary.ownId()).isEqualTo(FakeHighAvailabilityService.OWN_ID);
        assertThat(summary.masterId()).isEqualTo(FakeHighAvailabilityService.OTHER_ID);
        assertThat(summary.links()).isEmpty();
        assertThat(summary.nodes()).containsOnlyKeys("node-a", "node-b");
        assertThat(summary.nodes().get("node-a"))
                .isEqualTo(new HaSummary.Node("node-a", "http://127.0.0.11:8081/", "HOT_STANDBY", 1_700_000_000_000L,
                        1_700_000_000_123L, 5));
        assertThat(summary.nodes().get("node-b").status()).isEqualTo("MASTER");
    }
}
