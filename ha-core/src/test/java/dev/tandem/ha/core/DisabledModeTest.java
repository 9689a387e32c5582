package dev.tandem.ha.core;

import static dev.tandem.ha.api.HighAvailabilityMode.AUTO;
import static dev.tandem.ha.api.HighAvailabilityMode.DISABLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.core.TestPlane.SimNode;

/**
 * highAvailabilityMode DISABLED with a persisted store: the node claims its store's epoch like a master, so its
 * managed-state writes are fenced and durable, and it never shares a store with a live master. {@link TestPlane}
 * checks after every step that no two nodes act as master at once.
 */
class DisabledModeTest {
    private static final Map<String, String> PERSISTED = Map.of(HaSettings.PERSIST_MODE, "AUTO");

    private static FencedStateStore state(SimNode n) {
        return new FencedStateStore(n.counting, n.node::actingEpoch, n.node::cleanEpoch);
    }

    private static Optional<String> read(SimNode n) throws StoreException {
        return state(n).read("k").map(b -> new String(b, StandardCharsets.UTF_8));
    }

    private static void write(SimNode n, String value) throws StoreException {
        state(n).write("k", value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void disabledNodeClaimsItsStoreAndItsWritesAreDurableAcrossRestarts() throws Exception {
        TestPlane plane = new TestPlane();
        SimNode first = plane.add(DISABLED, 0, 0, PERSISTED);
        assertThat(first.state()).isEqualTo(ManagementNodeState.MASTER);
        assertThat(first.node.actingEpoch()).isEqualTo(1);
        write(first, "one");
        plane.run(Duration.ofMinutes(2)); // heartbeats renew its lease like any master's
        assertThat(first.node.isActingMaster()).isTrue();
        assertThatThrownBy(() -> first.node.stepDown(1_000_000_000L)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no other node to hand over to");
        plane.stop(first);

        SimNode restarted = plane.add(DISABLED, 0, 0, PERSISTED);
        assertThat(restarted.state()).isEqualTo(ManagementNodeState.MASTER);
        assertThat(restarted.node.actingEpoch()).isEqualTo(2);
        assertThat(read(restarted)).contains("one");
        write(restarted, "two");
        assertThat(read(restarted)).contains("two");
    }

    @Test
    void disabledNodeRefusesAStoreWhoseLiveMasterHoldsTheLease() throws Exception {
        TestPlane plane = new TestPlane();
        SimNode master = plane.add(AUTO);
        write(master, "plane");
        plane.run(Duration.ofSeconds(5));
        SimNode alone = plane.add(DISABLED, 0, 0, PERSISTED);
        assertThat(alone.state()).isEqualTo(ManagementNodeState.FAILED);
        assertThat(alone.node.status().failureReason()).contains("highAvailabilityMode DISABLED refused")
                .contains("live plane whose master is " + master.id()).contains("only writer");
        assertThatThrownBy(() -> write(alone, "second writer")).isInstanceOf(IllegalStateException.class);
        plane.run(Duration.ofMinutes(2));
        assertThat(alone.state()).isEqualTo(ManagementNodeState.FAILED);
        assertThat(plane.masters()).containsExactly(master);
        assertThat(read(master)).contains("plane");
    }

    @Test
    void disabledNodeWaitsOutAPausedMastersLeaseAndFencesIt() throws Exception {
        TestPlane plane = new TestPlane();
        SimNode old = plane.add(AUTO);
        write(old, "old");
        plane.pause(old, Duration.ofSeconds(90)); // SIGSTOP: its record goes stale, but it could still act on wake-up
        plane.run(Duration.ofSeconds(35));
        SimNode alone = plane.add(DISABLED, 0, 0, PERSISTED);
        assertThat(alone.node.isActingMaster()).as("the claim waits for the old lease's fence").isFalse();
        assertThat(alone.state()).isEqualTo(ManagementNodeState.INITIALIZING);
        assertThat(plane.runUntil(() -> alone.node.isActingMaster(), Duration.ofSeconds(40))).isTrue();
        assertThat(read(alone)).contains("old");
        write(alone, "alone");
        plane.run(Duration.ofSeconds(60)); // the old master wakes up, sees the newer epoch and stands by
        assertThat(old.node.isActingMaster()).isFalse();
        assertThatThrownBy(() -> write(old, "late")).isInstanceOf(IllegalStateException.class);
        assertThat(plane.masters()).containsExactly(alone);
        assertThat(read(old)).contains("alone");
    }

    @Test
    void disabledNodeFencesItselfInAnOutageAndClaimsItsStoreAgainAfterIt() throws Exception {
        TestPlane plane = new TestPlane();
        SimNode alone = plane.add(DISABLED, 0, 0, PERSISTED);
        write(alone, "before");
        alone.connection.setDown(true);
        plane.run(Duration.ofSeconds(40));
        assertThat(alone.node.isActingMaster()).as("a lease that cannot be renewed lapses").isFalse();
        assertThat(alone.state()).isEqualTo(ManagementNodeState.INITIALIZING);
        alone.connection.setDown(false);
        assertThat(plane.runUntil(() -> alone.node.isActingMaster(), Duration.ofSeconds(5))).isTrue();
        assertThat(alone.node.actingEpoch()).isEqualTo(2);
        assertThat(read(alone)).contains("before");
    }

    @Test
    void aPlaneNodeThatJoinsLaterFollowsTheDisabledNode() {
        TestPlane plane = new TestPlane();
        SimNode alone = plane.add(DISABLED, 0, 0, PERSISTED);
        SimNode joiner = plane.add(AUTO);
        plane.run(Duration.ofMinutes(1));
        assertThat(joiner.state()).isEqualTo(ManagementNodeState.HOT_STANDBY);
        assertThat(plane.masters()).containsExactly(alone);
    }
}
