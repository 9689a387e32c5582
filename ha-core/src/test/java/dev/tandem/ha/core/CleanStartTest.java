package dev.tandem.ha.core;

import static dev.tandem.ha.api.HighAvailabilityMode.AUTO;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.core.TestPlane.SimNode;

/**
 * persistMode CLEAN starts the managed state empty only in the first epoch claimed after the node joined a plane
 * with no other live node: what a master that came after it wrote is never wiped.
 */
class CleanStartTest {
    private static final Map<String, String> CLEAN = Map.of(HaSettings.PERSIST_MODE, "CLEAN");

    private static FencedStateStore state(SimNode n) {
        return new FencedStateStore(n.counting, n.node::actingEpoch, n.node::cleanEpoch);
    }

    private static Optional<String> read(SimNode n) throws StoreException {
        return state(n).read("k").map(b -> new String(b, StandardCharsets.UTF_8));
    }

    private static void write(SimNode n, String value) throws StoreException {
        state(n).write("k", value.getBytes(StandardCharsets.UTF_8));
    }

    /** A master that wrote k = "dead" and was killed, its record stale by now. */
    private static SimNode deadPlane(TestPlane plane) throws StoreException {
        SimNode dead = plane.add(AUTO);
        write(dead, "dead");
        plane.crash(dead);
        plane.run(Duration.ofSeconds(31));
        return dead;
    }

    @Test
    void cleanStartsEmptyWhenItIsTheFirstMasterAfterJoiningADeadPlane() throws Exception {
        TestPlane plane = new TestPlane();
        deadPlane(plane);
        SimNode clean = plane.add(AUTO, 0, 0, CLEAN);
        assertThat(clean.state()).isEqualTo(ManagementNodeState.HOT_STANDBY); // the dead master's silence is timed first
        assertThat(read(clean)).contains("dead");
        assertThat(plane.runUntil(() -> clean.node.isActingMaster(), Duration.ofSeconds(40))).isTrue();
        assertThat(clean.node.cleanEpoch()).isEqualTo(2);
        assertThat(read(clean)).isEmpty();
        write(clean, "fresh");
        assertThat(read(clean)).contains("fresh");
    }

    @Test
    void cleanNeverWipesWhatAMasterElectedAfterItJoinedWrote() throws Exception {
        TestPlane plane = new TestPlane();
        deadPlane(plane);
        SimNode clean = plane.add(AUTO, 0, 0, CLEAN);
        SimNode other = plane.add(AUTO, 10, 0, Map.of()); // joins right after, and wins the election by priority
        assertThat(plane.runUntil(() -> other.node.isActingMaster(), Duration.ofSeconds(40))).isTrue();
        assertThat(read(other)).contains("dead");
        write(other, "live plane");
        plane.stop(other);
        assertThat(plane.runUntil(() -> clean.node.isActingMaster(), Duration.ofSeconds(5))).isTrue();
        assertThat(clean.node.actingEpoch()).isEqualTo(3);
        assertThat(clean.node.cleanEpoch()).isZero();
        assertThat(read(clean)).contains("live plane");
    }
}
