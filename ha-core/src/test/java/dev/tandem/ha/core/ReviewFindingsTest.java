package dev.tandem.ha.core;

import static dev.tandem.ha.api.HighAvailabilityMode.AUTO;
import static dev.tandem.ha.api.HighAvailabilityMode.MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.NodeRecord;
import dev.tandem.ha.core.ForwardingPlaneStore.Request;
import dev.tandem.ha.core.TestPlane.SimNode;

/**
 * One scenario per finding of the outside review of the protocol core (at be10942), each of which
 * failed there: two acting masters, or a plane left without a master. The numbers are the review's.
 */
class ReviewFindingsTest {
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static boolean bothAct(SimNode x, SimNode y) {
        return x.node.isActingMaster() && y.node.isActingMaster();
    }

    /** Fills epochs 1..n with claims of a node that is long gone, as a plane that has lived a while. */
    private static void oldClaims(TestPlane plane, int n) throws Exception {
        for (int e = 1; e <= n; e++) {
            plane.store.createIfAbsent(PlaneKeys.epoch(e),
                    RecordCodec.encode(new EpochClaim(e, "gone" + e, null, 0, "history")));
        }
    }

    /**
     * Finding 1: past epoch 64 a claim prunes the claim of epoch N−63. If that DELETE failed, the claimant
     * was left holding N+1, neither master nor pending, and its next record advertised N+1 as released:
     * another node claimed N+2 and acted at once while the master of N still acted.
     */
    @Test
    void finding1_aClaimWhosePruneFailsIsNeverAdvertisedAsReleased() throws Exception {
        TestPlane plane = new TestPlane().with(HaSettings.HEARTBEAT_TIMEOUT, "3s");
        oldClaims(plane, 63);
        SimNode a = plane.add(AUTO);
        assertThat(plane.runUntil(() -> a.node.isActingMaster(), Duration.ofSeconds(10))).isTrue();
        assertThat(a.node.status().epoch()).isEqualTo(64);
        SimNode b = plane.add(AUTO);
        SimNode c = plane.add(AUTO);
        plane.run(Duration.ofSeconds(3));
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        b.connection.failWhen((r, k) -> r == Request.DELETE && k.startsWith(PlaneKeys.EPOCHS) && !failed.getAndSet(true));
        b.node.changeMode(MASTER); // forced takeover: claims 65 while a still acts; a prune of epoch 1 fails
        assertThat(plane.store.snapshot()).containsKey(PlaneKeys.epoch(65));
        b.node.tick();
        c.node.tick();
        assertThat(bothAct(a, b) || bothAct(a, c)).as("a (epoch 64) and another node act at once").isFalse();
        assertThat(plane.runUntil(() -> plane.actingMasters() == 1 && !a.node.isActingMaster(), TIMEOUT)).isTrue();
    }

    /**
     * Findings 2 and 13: a standby with T = 3 s took over from a master whose lease came from T = 30 s
     * after 3 s of silence: two masters for about 25 s.
     */
    @Test
    void finding2_aStandbyWithAShorterTimeoutWaitsOutTheMastersLease() {
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO, 0, 0, Map.of(HaSettings.HEARTBEAT_TIMEOUT, "30s"));
        plane.run(Duration.ofSeconds(2));
        SimNode b = plane.add(AUTO, 0, 0, Map.of(HaSettings.HEARTBEAT_TIMEOUT, "3s"));
        plane.run(Duration.ofSeconds(3));
        a.connection.setDown(true); // a keeps acting until its 28.4 s lease runs out; TestPlane checks every step
        plane.run(Duration.ofSeconds(40));
        assertThat(b.node.isActingMaster()).isTrue();
    }

    /** Finding 2, in place: the master's timeout shrinks from 30 s to 3 s; its longer lease must not survive. */
    @Test
    void finding2_aMasterWhoseTimeoutShrinksInPlaceShortensItsLease() {
        TestPlane plane = new TestPlane().with(HaSettings.HEARTBEAT_TIMEOUT, "3s");
        SimNode a = plane.add(AUTO, 0, 0, Map.of(HaSettings.HEARTBEAT_TIMEOUT, "30s"));
        plane.run(Duration.ofSeconds(2));
        SimNode b = plane.add(AUTO);
        plane.run(Duration.ofSeconds(3));
        a.node.updateSettings(TestPlane.settings(Map.of(HaSettings.HA_MODE, "AUTO", HaSettings.POLL_PERIOD, "1s",
                HaSettings.HEARTBEAT_TIMEOUT, "3s")));
        // the heartbeat that advertises 3 s lands, then every later request of a fails
        a.connection.failWhen((r, k) -> r != Request.PUT);
        a.node.tick();
        a.connection.setDown(true);
        plane.run(Duration.ofSeconds(40));
        assertThat(b.node.isActingMaster()).isTrue();
    }

    /**
     * Finding 13 (second run): the dead master had T = 3 s; a standby with T = 3 s deferred to the
     * election winner with T = 30 s, which waited out its own 30 s: no master for over 15 s. The master's
     * lease came from 3 s, so 3 s of silence is enough for every node.
     */
    @Test
    void finding13_standbysWithDifferentTimeoutsAgreeOnTheDeadMastersTimeout() {
        TestPlane plane = new TestPlane().with(HaSettings.HEARTBEAT_TIMEOUT, "3s");
        SimNode a = plane.add(AUTO);
        plane.run(Duration.ofSeconds(2));
        SimNode slow = plane.add(AUTO, 10, 0, Map.of(HaSettings.HEARTBEAT_TIMEOUT, "30s"));
        plane.add(AUTO);
        plane.run(Duration.ofSeconds(3));
        plane.crash(a);
        assertThat(plane.runUntil(() -> plane.actingMasters() == 1, Duration.ofSeconds(3 + 2 + 1))).isTrue();
        assertThat(slow.node.isActingMaster()).isTrue();
    }

    /** Finding 4: a forced takeover treated an unreadable claim as released and acted at once. */
    @Test
    void finding4_aForcedTakeoverOverAnUnreadableClaimWaitsForTheFence() throws Exception {
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO);
        plane.run(Duration.ofSeconds(2));
        plane.store.putRaw(PlaneKeys.epoch(1), "{garbled".getBytes(StandardCharsets.UTF_8));
        SimNode b = plane.add(AUTO);
        plane.run(Duration.ofSeconds(2));
        b.node.changeMode(MASTER);
        assertThat(bothAct(a, b)).isFalse();
        plane.run(Duration.ofSeconds(40));
        assertThat(b.node.isActingMaster()).isTrue();
    }

    /**
     * Finding 8: a VM suspend stops the monotonic clock; the master resumed with a lease that looked
     * valid and acted until its next tick, while another node had long taken over.
     */
    @Test
    void finding8_aMasterWhoseMonotonicClockStoppedDoesNotActOnResume() {
        TestPlane plane = new TestPlane().with(HaSettings.HEARTBEAT_TIMEOUT, "3s");
        SimNode a = plane.add(AUTO);
        plane.run(Duration.ofSeconds(2));
        SimNode b = plane.add(AUTO);
        plane.run(Duration.ofSeconds(2));
        Duration suspend = Duration.ofSeconds(20);
        long resumeAt = plane.time.nanos() + suspend.toNanos();
        plane.pause(a, suspend);
        a.clock.stopMonotonicFor(suspend.toNanos());
        assertThat(plane.runUntil(() -> b.node.isActingMaster(), suspend)).isTrue();
        plane.run(Duration.ofNanos(resumeAt - plane.time.nanos() - 1_000_000));
        plane.time.advanceTo(resumeAt); // a runs again; its clock says almost no time passed; it has not ticked yet
        assertThat(bothAct(a, b)).as("a resumed acting while b is master").isFalse();
    }

    /**
     * Finding 9: after a step-down with a hold, the others still ranked the held node first and waited
     * for it, while it waited out its hold: no master for the hold.
     */
    @Test
    void finding9_aNodeHoldingAfterAStepDownIsNotWaitedFor() {
        TestPlane plane = new TestPlane().with(HaSettings.HEARTBEAT_TIMEOUT, "3s");
        SimNode a = plane.add(AUTO, 10, 0);
        plane.run(Duration.ofSeconds(2));
        SimNode b = plane.add(AUTO, 5, 0);
        plane.add(AUTO, 1, 0);
        plane.run(Duration.ofSeconds(3));
        a.node.stepDown(Duration.ofMinutes(10).toNanos());
        assertThat(plane.runUntil(() -> b.node.isActingMaster(), POLL.multipliedBy(3))).isTrue();
        plane.crash(b);
        assertThat(plane.runUntil(() -> plane.actingMasters() == 1, Duration.ofSeconds(3 + 2 + 1))).isTrue();
        assertThat(a.node.isActingMaster()).isFalse();
    }

    /** Finding 9: an unreadable claim deposed a healthy master and left the plane without one for the fence. */
    @Test
    void finding9_anUnreadableClaimDoesNotDeposeAHealthyMaster() {
        TestPlane plane = new TestPlane().with(HaSettings.HEARTBEAT_TIMEOUT, "3s");
        SimNode a = plane.add(AUTO);
        plane.run(Duration.ofSeconds(2));
        plane.store.putRaw(PlaneKeys.epoch(1), "{garbled".getBytes(StandardCharsets.UTF_8));
        plane.add(AUTO);
        plane.add(AUTO);
        plane.run(Duration.ofSeconds(20));
        assertThat(a.node.isActingMaster()).isTrue();
        assertThat(a.node.status().epoch()).isEqualTo(1);
    }

    /**
     * Finding 9: the master died; the standby's claim went through but its answer was lost. It found the
     * claim later and waited out the fence (about T) although the previous master was known dead.
     */
    @Test
    void finding9_aLostClaimAnswerAfterTheMasterDiedDoesNotWaitForTheFence() {
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO);
        plane.run(Duration.ofSeconds(2));
        SimNode b = plane.add(AUTO);
        plane.run(Duration.ofSeconds(3));
        plane.crash(a);
        b.connection.loseNextCreateAnswer();
        assertThat(plane.runUntil(() -> b.node.isActingMaster(), TIMEOUT.plus(POLL.multipliedBy(4)))).isTrue();
    }

    /**
     * Finding 9: a node more than 64 epochs behind probed only known + 1, which was pruned: it never
     * caught up, and when it ranked first nobody was elected.
     */
    @Test
    void finding9_aNodeMoreThan64EpochsBehindCatchesUp() throws Exception {
        TestPlane plane = new TestPlane().with(HaSettings.HEARTBEAT_TIMEOUT, "3s");
        SimNode a = plane.add(AUTO, 1, 0);
        plane.run(Duration.ofSeconds(2));
        SimNode c = plane.add(AUTO, 1, 0);
        SimNode b = plane.add(AUTO, 10, 0);
        plane.run(Duration.ofSeconds(3));
        b.connection.setDown(true);
        plane.run(Duration.ofSeconds(5)); // b's record is stale: the others elect without it
        // 70 handovers between a and c while b cannot see the store
        for (int i = 0; i < 70; i++) {
            SimNode m = a.node.isActingMaster() ? a : c;
            SimNode other = m == a ? c : a;
            m.node.stepDown(0);
            assertThat(plane.runUntil(() -> other.node.isActingMaster(), POLL.multipliedBy(3))).isTrue();
        }
        long newest = Math.max(a.node.status().epoch(), c.node.status().epoch());
        assertThat(newest).isGreaterThan(70);
        b.connection.setDown(false);
        plane.run(Duration.ofSeconds(5));
        assertThat(b.node.status().epoch()).isEqualTo(newest);
        SimNode m = a.node.isActingMaster() ? a : c;
        plane.crash(m);
        assertThat(plane.runUntil(() -> b.node.isActingMaster(), Duration.ofSeconds(3 + 2 + 1))).isTrue();
    }

    /**
     * Finding 9: pruning ran on the tick and, on a slow store with many dead records, outlasted the lease at
     * T = 3 s: the master demoted itself for housekeeping.
     */
    @Test
    void finding9_pruningOnASlowStoreDoesNotCostTheLease() throws Exception {
        TestPlane plane = new TestPlane().with(HaSettings.HEARTBEAT_TIMEOUT, "3s")
                .with(HaSettings.DEAD_RECORD_RETENTION, "1s");
        for (int i = 0; i < 40; i++) {
            NodeRecord dead = new NodeRecord("dead" + i, null, ManagementNodeState.TERMINATED, 0, "1.0.0", 0, 1, 0, 0);
            plane.store.put(PlaneKeys.node(dead.nodeId()), RecordCodec.encode(dead));
        }
        SimNode a = plane.add(AUTO);
        // every DELETE takes 100 ms of the master's time
        a.connection.failWhen((r, k) -> {
            if (r == Request.DELETE) {
                a.clock.stopMonotonicFor(-Duration.ofMillis(100).toNanos());
            }
            return false;
        });
        plane.run(Duration.ofMinutes(3));
        assertThat(a.node.history()).extracting(StateTransition::to).containsOnlyOnce(ManagementNodeState.MASTER);
        assertThat(plane.store.list(PlaneKeys.NODES)).hasSize(1);
    }
}
