package dev.tandem.ha.core;

import static dev.tandem.ha.api.HighAvailabilityMode.AUTO;
import static dev.tandem.ha.api.HighAvailabilityMode.HOT_BACKUP;
import static dev.tandem.ha.api.HighAvailabilityMode.HOT_STANDBY;
import static dev.tandem.ha.api.HighAvailabilityMode.MASTER;
import static dev.tandem.ha.api.HighAvailabilityMode.STANDBY;
import static dev.tandem.ha.api.ManagementNodeState.FAILED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.NodeRecord;
import dev.tandem.ha.api.PlaneView;
import dev.tandem.ha.core.TestPlane.SimNode;

class HaNodeTest {
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void firstNodeBecomesMasterAndSecondHotStandby() throws Exception {
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO);
        assertThat(a.state()).isEqualTo(ManagementNodeState.MASTER);
        assertThat(a.node.isActingMaster()).isTrue();
        SimNode b = plane.add(AUTO);
        assertThat(b.state()).isEqualTo(ManagementNodeState.HOT_STANDBY);
        plane.run(Duration.ofSeconds(10));
        assertThat(plane.masters()).containsExactly(a);

        PlaneView view = b.node.view();
        assertThat(view.masterId()).isEqualTo(a.id());
        assertThat(view.ownId()).isEqualTo(b.id());
        assertThat(view.nodes()).containsOnlyKeys(a.id(), b.id());
        assertThat(view.nodes().get(a.id()).status()).isEqualTo(ManagementNodeState.MASTER);
        assertThat(view.nodes().get(b.id()).status()).isEqualTo(ManagementNodeState.HOT_STANDBY);
        assertThat(view.planeId()).isEqualTo(a.node.status().planeId()).isNotBlank();
        assertThat(view.epoch()).isEqualTo(1);
    }

    @Test
    void cleanStopOfMasterHandsOverWithinOnePoll() {
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO);
        SimNode b = plane.add(AUTO);
        plane.run(Duration.ofSeconds(5));
        long stoppedAt = plane.time.nanos();
        plane.stop(a);
        assertThat(plane.runUntil(() -> b.state() == ManagementNodeState.MASTER, POLL.multipliedBy(2))).isTrue();
        assertThat(plane.time.nanos() - stoppedAt).isLessThanOrEqualTo(POLL.toNanos());
        assertThat(b.node.status().epoch()).isEqualTo(2);
    }

    @Test
    void crashedMasterIsReplacedAfterTheTimeoutAndNotBefore() throws Exception {
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO);
        SimNode b = plane.add(AUTO);
        plane.run(Duration.ofSeconds(5));
        long crashedAt = plane.time.nanos();
        plane.crash(a);
        plane.runUntil(() -> b.state() == ManagementNodeState.MASTER, TIMEOUT.plus(POLL.multipliedBy(3)));
        long took = plane.time.nanos() - crashedAt;
        assertThat(b.state()).isEqualTo(ManagementNodeState.MASTER);
        // silence is timed from the last heartbeat seen, which the master writes every max(P, T/5)
        Duration interval = a.node.settings().heartbeatInterval(true);
        assertThat(took).isGreaterThanOrEqualTo(TIMEOUT.minus(interval).toNanos())
                .isLessThanOrEqualTo(TIMEOUT.plus(POLL.multipliedBy(2)).toNanos());
        // the dead master is shown FAILED
        assertThat(b.node.view().nodes().get(a.id()).status()).isEqualTo(FAILED);
        assertThat(b.node.view().masterId()).isEqualTo(b.id());
    }

    @Test
    void masterThatCannotWriteFencesItselfBeforeAStandbyTakesOver() {
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO);
        SimNode b = plane.add(AUTO);
        plane.run(Duration.ofSeconds(5));
        a.connection.setDown(true);
        long cutAt = plane.time.nanos();
        plane.runUntil(() -> !a.node.isActingMaster(), TIMEOUT);
        long fencedAfter = plane.time.nanos() - cutAt;
        assertThat(a.node.isActingMaster()).isFalse();
        assertThat(b.state()).isEqualTo(ManagementNodeState.HOT_STANDBY);
        plane.runUntil(() -> b.state() == ManagementNodeState.MASTER, TIMEOUT.multipliedBy(2));
        long promotedAfter = plane.time.nanos() - cutAt;
        assertThat(fencedAfter).isLessThan(promotedAfter);
        assertThat(b.node.isActingMaster()).isTrue();
        // the store comes back: the old master learns of the new epoch and stays a standby
        a.connection.setDown(false);
        plane.run(Duration.ofSeconds(5));
        assertThat(a.state()).isEqualTo(ManagementNodeState.HOT_STANDBY);
        assertThat(plane.masters()).containsExactly(b);
    }

    @Test
    void storeOutageForEveryoneDemotesTheMasterAndThePlaneRecoversByItself() {
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO);
        SimNode b = plane.add(AUTO);
        plane.run(Duration.ofSeconds(5));
        a.connection.setDown(true);
        b.connection.setDown(true);
        plane.run(TIMEOUT.multipliedBy(3));
        assertThat(plane.actingMasters()).isZero();
        assertThat(b.state()).isNotEqualTo(ManagementNodeState.MASTER);
        a.connection.setDown(false);
        b.connection.setDown(false);
        assertThat(plane.runUntil(() -> plane.masters().size() == 1 && plane.actingMasters() == 1,
                TIMEOUT.plus(POLL.multipliedBy(2)))).as("%s", plane.nodes).isTrue();
    }

    @Test
    void pausedMasterDemotesItselfOnWakingAndNeverActsAgainInItsEpoch() {
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO);
        SimNode b = plane.add(AUTO);
        plane.run(Duration.ofSeconds(5));
        plane.pause(a, TIMEOUT.multipliedBy(2));
        plane.runUntil(() -> b.state() == ManagementNodeState.MASTER, TIMEOUT.plus(POLL.multipliedBy(3)));
        assertThat(b.state()).isEqualTo(ManagementNodeState.MASTER);
        // still paused: its last published state is MASTER, but it reports what it really is
        assertThat(a.state()).isEqualTo(ManagementNodeState.MASTER);
        assertThat(a.node.effectiveState()).isEqualTo(ManagementNodeState.HOT_STANDBY);
        plane.run(TIMEOUT.multipliedBy(2));
        assertThat(a.node.isActingMaster()).isFalse();
        assertThat(a.state()).isEqualTo(ManagementNodeState.HOT_STANDBY);
        assertThat(plane.masters()).containsExactly(b);
    }

    @Test
    void manyNodesStartingAtOnceEndWithExactlyOneMaster() {
        for (int n : new int[] {5, 20}) {
            TestPlane plane = new TestPlane();
            for (int i = 0; i < n; i++) {
                plane.add(AUTO);
            }
            plane.run(Duration.ofSeconds(10));
            assertThat(plane.masters()).hasSize(1);
            assertThat(plane.nodes.stream().filter(x -> x.state() == ManagementNodeState.HOT_STANDBY)).hasSize(n - 1);
        }
    }

    @Test
    void electionPrefersHigherPriority() {
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO, 0, 0);
        SimNode low = plane.add(AUTO, 1, 0);
        SimNode high = plane.add(AUTO, 5, 0);
        plane.run(Duration.ofSeconds(3));
        plane.stop(a);
        plane.runUntil(() -> !plane.masters().isEmpty(), POLL.multipliedBy(3));
        assertThat(plane.masters()).containsExactly(high);
        assertThat(low.state()).isEqualTo(ManagementNodeState.HOT_STANDBY);
    }

    @Test
    void priorityChangedAtRunTimeIsUsedByTheNextElection() {
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO);
        SimNode b = plane.add(AUTO);
        SimNode c = plane.add(AUTO);
        assertThat(c.node.setPriority(7)).isZero();
        plane.run(Duration.ofSeconds(3));
        plane.stop(a);
        plane.runUntil(() -> !plane.masters().isEmpty(), POLL.multipliedBy(3));
        assertThat(plane.masters()).containsExactly(c);
        assertThat(b.state()).isEqualTo(ManagementNodeState.HOT_STANDBY);
    }

    @Test
    void demotedMasterHandsOverAndDoesNotReElectItself() {
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO, 9, 0); // highest priority: would win any election it joined
        SimNode b = plane.add(AUTO);
        plane.run(Duration.ofSeconds(3));
        assertThat(a.node.changeMode(HOT_STANDBY)).isEqualTo(ManagementNodeState.MASTER);
        assertThat(a.node.isActingMaster()).isFalse();
        plane.runUntil(() -> b.state() == ManagementNodeState.MASTER, POLL.multipliedBy(2));
        assertThat(b.state()).isEqualTo(ManagementNodeState.MASTER);
        plane.run(TIMEOUT.multipliedBy(2));
        assertThat(plane.masters()).containsExactly(b);
        assertThat(a.state()).isEqualTo(ManagementNodeState.HOT_STANDBY);
    }

    @Test
    void modeMasterOnAStandbyTakesOverAndTheOldMasterDemotes() {
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO);
        SimNode b = plane.add(AUTO);
        plane.run(Duration.ofSeconds(3));
        assertThat(b.node.changeMode(MASTER)).isEqualTo(ManagementNodeState.HOT_STANDBY);
        assertThat(plane.runUntil(() -> b.state() == ManagementNodeState.MASTER, POLL.multipliedBy(3))).isTrue();
        assertThat(a.state()).isEqualTo(ManagementNodeState.HOT_STANDBY);
        plane.run(Duration.ofSeconds(10));
        assertThat(plane.masters()).containsExactly(b);
    }

    @Test
    void startUpModesFollowBrooklyn() {
        TestPlane empty = new TestPlane();
        SimNode standby = empty.add(STANDBY);
        assertThat(standby.state()).isEqualTo(FAILED);
        assertThat(standby.node.status().failureReason()).isEqualTo("No existing master; cannot start as STANDBY");
        SimNode hot = empty.add(HOT_STANDBY);
        assertThat(hot.node.status().failureReason()).isEqualTo("No existing master; cannot start as HOT_STANDBY");
        SimNode backup = empty.add(HOT_BACKUP);
        assertThat(backup.state()).isEqualTo(ManagementNodeState.HOT_BACKUP);
        SimNode master = empty.add(MASTER);
        assertThat(master.state()).isEqualTo(ManagementNodeState.MASTER);
        SimNode second = empty.add(MASTER);
        assertThat(second.state()).isEqualTo(FAILED);
        assertThat(second.node.status().failureReason())
                .isEqualTo("Master already exists; cannot run as master (master " + master.id() + ")");
        SimNode standby2 = empty.add(STANDBY);
        assertThat(standby2.state()).isEqualTo(ManagementNodeState.STANDBY);
        empty.run(Duration.ofSeconds(5));
        assertThat(empty.masters()).containsExactly(master);

        // a refused node recovers when the operator picks a mode that fits
        assertThat(standby.node.changeMode(AUTO)).isEqualTo(FAILED);
        assertThat(standby.state()).isEqualTo(ManagementNodeState.HOT_STANDBY);
    }

    @Test
    void hotBackupIsNeverElected() {
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO);
        SimNode backup = plane.add(HOT_BACKUP, 100, 0);
        SimNode b = plane.add(AUTO);
        plane.run(Duration.ofSeconds(3));
        plane.crash(a);
        plane.run(TIMEOUT.plus(POLL.multipliedBy(3)));
        assertThat(plane.masters()).containsExactly(b);
        assertThat(backup.state()).isEqualTo(ManagementNodeState.HOT_BACKUP);
    }

    @Test
    void aStandbyReadsJustAfterTheMastersAnnouncedHeartbeatSoACrashIsTimedFromIt() {
        Duration timeout = Duration.ofSeconds(3);
        TestPlane plane = new TestPlane().with(HaSettings.HEARTBEAT_TIMEOUT, "3s");
        SimNode a = plane.add(AUTO);
        plane.run(Duration.ofMillis(500)); // the standby's own poll falls half a poll after the master's writes
        SimNode b = plane.add(AUTO);
        plane.run(Duration.ofSeconds(10));
        long puts = a.counting.counts().get("put");
        assertThat(plane.runUntil(() -> a.counting.counts().get("put") > puts, POLL.multipliedBy(2))).isTrue();
        long lastBeat = plane.time.nanos(); // the master has just written its heartbeat (the store takes no time)
        plane.crash(a);
        assertThat(plane.runUntil(() -> b.state() == ManagementNodeState.MASTER, timeout.plus(POLL.multipliedBy(3))))
                .isTrue();
        long took = plane.time.nanos() - lastBeat;
        // read a fiftieth of the poll after the write, not half a poll: MASTER at T + P/50 after the last heartbeat
        assertThat(took).isGreaterThanOrEqualTo(timeout.toNanos())
                .isLessThanOrEqualTo(timeout.plus(POLL.dividedBy(20)).toNanos());
    }

    @Test
    void aStandbyWhoseWallClockDisagreesIgnoresTheAnnouncedHeartbeatAndPollsAsBefore() {
        Duration timeout = Duration.ofSeconds(3);
        TestPlane plane = new TestPlane().with(HaSettings.HEARTBEAT_TIMEOUT, "3s");
        SimNode a = plane.add(AUTO);
        plane.run(Duration.ofMillis(500));
        SimNode b = plane.add(AUTO, 0, 1_500); // 1.5 s ahead: every announced heartbeat looks past
        plane.run(Duration.ofSeconds(10));
        long readsBefore = b.counting.counts().get("read");
        plane.run(Duration.ofSeconds(10));
        assertThat(b.counting.counts().get("read") - readsBefore).isEqualTo(10); // one read of the master's record a poll
        long puts = a.counting.counts().get("put");
        assertThat(plane.runUntil(() -> a.counting.counts().get("put") > puts, POLL.multipliedBy(2))).isTrue();
        long lastBeat = plane.time.nanos();
        plane.crash(a);
        assertThat(plane.runUntil(() -> b.state() == ManagementNodeState.MASTER, timeout.plus(POLL.multipliedBy(3))))
                .isTrue();
        long took = plane.time.nanos() - lastBeat;
        assertThat(took).isBetween(timeout.plus(POLL.dividedBy(2)).toNanos(), timeout.plus(POLL).toNanos());
    }

    @Test
    void aStandbyWhoseWallClockIsALittleAheadStillReadsOnceAPoll() {
        TestPlane plane = new TestPlane().with(HaSettings.HEARTBEAT_TIMEOUT, "3s");
        SimNode a = plane.add(AUTO);
        plane.run(Duration.ofMillis(500));
        SimNode b = plane.add(AUTO, 0, 300); // 300 ms ahead: each announced heartbeat looks 300 ms early
        plane.run(Duration.ofSeconds(10));
        long readsBefore = b.counting.counts().get("read");
        plane.run(Duration.ofSeconds(60));
        long reads = b.counting.counts().get("read") - readsBefore;
        // its reads after each announced heartbeat come too early; after one round of them its poll falls just
        // before the master's writes, where the announced moments are past and ignored: one read a poll again
        assertThat(reads).isBetween(60L, 60L + HolderWatch.ALIGNED_READS);
        assertThat(plane.masters()).containsExactly(a);
    }

    @Test
    void aClaimOverwrittenByALateWriteIsNotTakenForARelease() {
        // on a store without conditional writes, a claimer suspended between its last check and its final write can
        // overwrite the claim of the epoch another node has won since: the claim then names a node that is not master
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO);
        SimNode b = plane.add(AUTO);
        SimNode c = plane.add(AUTO);
        plane.run(Duration.ofSeconds(5));
        assertThat(plane.masters()).containsExactly(a);
        long epoch = a.node.status().epoch();
        plane.store.putRaw(PlaneKeys.epoch(epoch),
                RecordCodec.encode(new EpochClaim(epoch, b.id(), null, System.currentTimeMillis(), "a late final write")));
        SimNode d = plane.add(AUTO, 5, 0); // joins now (it would win an election) and reads the overwritten claim
        plane.run(TIMEOUT.multipliedBy(2)); // the one-master check runs after every step
        assertThat(plane.masters()).containsExactly(a);
        assertThat(d.state()).isEqualTo(ManagementNodeState.HOT_STANDBY);
        assertThat(a.node.status().epoch()).isEqualTo(epoch);
        // and when the real holder dies, a standby still takes over after its silence
        plane.crash(a);
        assertThat(plane.runUntil(() -> plane.masters().size() == 1, TIMEOUT.plus(POLL.multipliedBy(4)))).isTrue();
        assertThat(plane.masters()).containsAnyOf(b, c, d);
    }

    @Test
    void wallClockSkewOfTenMinutesChangesNothing() {
        long tenMinutes = Duration.ofMinutes(10).toMillis();
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO, 0, tenMinutes);
        SimNode b = plane.add(AUTO, 0, -tenMinutes);
        SimNode c = plane.add(AUTO, 0, 0);
        plane.run(Duration.ofSeconds(60));
        assertThat(plane.masters()).containsExactly(a);
        long crashedAt = plane.time.nanos();
        plane.crash(a);
        plane.runUntil(() -> !plane.masters().isEmpty(), TIMEOUT.plus(POLL.multipliedBy(3)));
        long took = plane.time.nanos() - crashedAt;
        assertThat(took).isBetween(TIMEOUT.toNanos(), TIMEOUT.plus(POLL.multipliedBy(2)).toNanos());
        assertThat(plane.masters()).containsExactly(b); // smallest id among equals: n01
        plane.run(Duration.ofSeconds(60));
        assertThat(plane.masters()).containsExactly(b);
        assertThat(c.state()).isEqualTo(ManagementNodeState.HOT_STANDBY);
    }

    @Test
    void garbledRecordsAreIgnored() throws Exception {
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO);
        plane.store.putRaw("plane/nodes/zz-truncated", "{\"format\":1,\"nodeId\":\"zz-trunc".getBytes(StandardCharsets.UTF_8));
        plane.store.putRaw("plane/nodes/zz-future", "{\"format\":99,\"nodeId\":\"zz-future\"}".getBytes(StandardCharsets.UTF_8));
        plane.store.putRaw("plane/nodes/zz-garbage", new byte[] {0, 1, 2, (byte) 0xff});
        plane.store.putRaw("plane/nodes/zz-badstate",
                ("{\"format\":1,\"nodeId\":\"zz-badstate\",\"status\":\"EMPEROR\",\"priority\":1,\"version\":\"1\","
                        + "\"epoch\":0,\"heartbeat\":1,\"localTimestamp\":1}").getBytes(StandardCharsets.UTF_8));
        SimNode b = plane.add(AUTO);
        plane.run(Duration.ofSeconds(5));
        assertThat(b.node.view().nodes()).containsOnlyKeys(a.id(), b.id());
        plane.stop(a);
        plane.runUntil(() -> b.state() == ManagementNodeState.MASTER, POLL.multipliedBy(2));
        assertThat(b.state()).isEqualTo(ManagementNodeState.MASTER);
    }

    @Test
    void inactiveRecordsAreRemovedOnStartupWhenAsked() {
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO);
        SimNode b = plane.add(AUTO);
        plane.run(Duration.ofSeconds(3));
        plane.stop(b);
        plane.run(Duration.ofMinutes(5));
        plane.with(HaSettings.REMOVE_INACTIVE_ON_STARTUP, "1m");
        SimNode c = plane.add(AUTO);
        assertThat(plane.store.snapshot()).doesNotContainKey(PlaneKeys.node(b.id()))
                .containsKeys(PlaneKeys.node(a.id()), PlaneKeys.node(c.id()));
    }

    @Test
    void requestsPerPollAreConstantWhateverTheNumberOfNodes() {
        for (int n : new int[] {2, 5, 20}) {
            TestPlane plane = new TestPlane();
            for (int i = 0; i < 50; i++) {
                SimNode dead = plane.add(AUTO);
                plane.stop(dead);
            }
            plane.run(Duration.ofSeconds(2));
            List<SimNode> live = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                live.add(plane.add(AUTO));
            }
            plane.run(Duration.ofSeconds(5)); // settle
            long[] before = live.stream().mapToLong(x -> x.counting.total()).toArray();
            int polls = 30;
            plane.run(POLL.multipliedBy(polls));
            for (int i = 0; i < n; i++) {
                SimNode x = live.get(i);
                double perPoll = (x.counting.total() - before[i]) / (double) polls;
                // HEAD (+ GET of the holder's record on a standby), and a PUT every max(P, T/5) or max(P, T/3)
                boolean isMaster = x.state() == ManagementNodeState.MASTER;
                double puts = POLL.toNanos() / (double) x.node.settings().heartbeatInterval(isMaster).toNanos();
                double expected = (isMaster ? 1 : 2) + puts;
                assertThat(perPoll).as("requests per poll of %s among %d nodes", x, n).isCloseTo(expected, within(0.04));
            }
        }
    }

    @Test
    void theMasterPrunesDeadRecordsAfterTheirRetention() {
        TestPlane plane = new TestPlane().with(HaSettings.DEAD_RECORD_RETENTION, "2m");
        SimNode a = plane.add(AUTO);
        SimNode gone = plane.add(AUTO);
        SimNode killed = plane.add(AUTO);
        plane.run(Duration.ofSeconds(3));
        plane.stop(gone);
        plane.crash(killed);
        plane.run(Duration.ofMinutes(1));
        assertThat(plane.store.snapshot()).containsKeys(PlaneKeys.node(gone.id()), PlaneKeys.node(killed.id()));
        plane.run(Duration.ofMinutes(3));
        assertThat(plane.store.snapshot()).doesNotContainKeys(PlaneKeys.node(gone.id()), PlaneKeys.node(killed.id()))
                .containsKey(PlaneKeys.node(a.id()));
    }

    @Test
    void epochClaimsAreTheAuditTrail() throws Exception {
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO);
        SimNode b = plane.add(AUTO);
        plane.run(Duration.ofSeconds(3));
        plane.crash(a);
        plane.run(TIMEOUT.plus(POLL.multipliedBy(3)));
        assertThat(b.node.auditTrail()).extracting(EpochClaim::epoch, EpochClaim::nodeId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, a.id()), org.assertj.core.groups.Tuple.tuple(2L, b.id()));
        assertThat(b.node.auditTrail().get(1).reason()).isEqualTo("election: previous master " + a.id() + " timed out");
    }

    @Test
    void aNodeJoiningAfterTheMasterDiedTimesItsSilenceFromTheJoin() {
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO);
        plane.run(Duration.ofSeconds(5));
        plane.crash(a);
        plane.run(Duration.ofSeconds(10));
        long joinedAt = plane.time.nanos();
        SimNode c = plane.add(AUTO);
        assertThat(c.state()).isEqualTo(ManagementNodeState.HOT_STANDBY);
        assertThat(plane.runUntil(() -> c.state() == ManagementNodeState.MASTER, TIMEOUT.plus(POLL.multipliedBy(2)))).isTrue();
        // the join's own read of the master's record starts the silence: not the first poll after it
        assertThat(plane.time.nanos() - joinedAt).isGreaterThanOrEqualTo(TIMEOUT.toNanos())
                .isLessThan(TIMEOUT.plus(POLL.dividedBy(2)).toNanos());
    }

    @Test
    void aNodeThatCannotReachTheStoreTriesAgainAfterAQuarterPoll() {
        TestPlane plane = new TestPlane();
        plane.add(AUTO);
        SimNode b = plane.add(AUTO);
        plane.run(Duration.ofSeconds(3));
        b.connection.setDown(true);
        assertThat(b.node.tick()).isEqualTo(POLL.dividedBy(4).toNanos());
        b.connection.setDown(false);
        assertThat(b.node.tick()).isEqualTo(POLL.toNanos());
    }

    @Test
    void aReadInFlightWhenTheTimeoutRunsOutIsFollowedByAnotherAtOnce() throws Exception {
        SimTime time = new SimTime();
        InMemoryPlaneStore shared = new InMemoryPlaneStore(time::millis);
        // a master that died: its record and claim stay as they were
        shared.put(PlaneKeys.node("m"), RecordCodec.encode(new NodeRecord("m", null, ManagementNodeState.MASTER, 0,
                "1.0.0", 1, 42, SimTime.EPOCH_MILLIS, 0)));
        shared.createIfAbsent(PlaneKeys.epoch(1), RecordCodec.encode(new EpochClaim(1, "m", null, SimTime.EPOCH_MILLIS, "test")));
        long readNanos = Duration.ofMillis(300).toNanos();
        ForwardingPlaneStore slowReadsOfM = new ForwardingPlaneStore(shared) {
            @Override
            protected void before(Request request, String key) {
                if (request == Request.READ && key.equals(PlaneKeys.node("m"))) {
                    time.advanceTo(time.nanos() + readNanos);
                }
            }
        };
        HaNode b = new HaNode(TestPlane.settings(java.util.Map.of(HaSettings.HA_MODE, "AUTO", HaSettings.POLL_PERIOD, "1s",
                HaSettings.HEARTBEAT_TIMEOUT, "30s")), slowReadsOfM, new ManualClock(time::nanos, 0, 0), "b", "1.0.0");
        b.start();
        assertThat(b.status().state()).isEqualTo(ManagementNodeState.HOT_STANDBY);
        long timeoutRunsOutAt = readNanos + TIMEOUT.toNanos(); // the join's read of m ended at readNanos
        // this tick's read of m starts 150 ms before the timeout runs out and ends 150 ms after it
        time.advanceTo(timeoutRunsOutAt - readNanos / 2);
        b.tick();
        assertThat(b.status().state()).isEqualTo(ManagementNodeState.MASTER);
        assertThat(b.status().epoch()).isEqualTo(2);
        // in this tick: the second read, then the election (whose read of m is slow too), not a poll later
        assertThat(time.nanos()).isEqualTo(timeoutRunsOutAt + 5 * readNanos / 2).isLessThan(timeoutRunsOutAt + POLL.toNanos());
    }

    @Test
    void aClaimWhoseAnswerWasLostDoesNotLookReleasedBeforeTheFence() throws Exception {
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO);
        SimNode b = plane.add(AUTO);
        plane.add(AUTO);
        plane.run(Duration.ofSeconds(3));
        // the operator makes b master; its claim of epoch 2 lands, but the answer is lost ...
        b.connection.loseNextCreateAnswer();
        b.node.changeMode(MASTER);
        assertThat(plane.store.snapshot()).containsKey(PlaneKeys.epoch(2));
        // ... and changes their mind before b finds out: b no longer wants mastership
        b.node.changeMode(HOT_BACKUP);
        // b finds the claim on its next ticks; until the fence has passed (or a has stepped down), b's record
        // must not show epoch 2 without MASTER, or c would read it as released and claim epoch 3 while a acts
        b.node.tick();
        b.node.tick();
        NodeRecord shown = RecordCodec.decodeNode(plane.store.snapshot().get(PlaneKeys.node(b.id())).content(), 0).orElseThrow();
        assertThat(shown.epoch()).isEqualTo(1);
        assertThat(shown.status()).isEqualTo(ManagementNodeState.HOT_BACKUP);
        assertThat(a.node.isActingMaster()).isTrue();
        // a learns of epoch 2 and steps down; after the fence the election gives the plane one master again
        assertThat(plane.runUntil(() -> !a.node.isActingMaster(), POLL.multipliedBy(2))).isTrue();
        assertThat(plane.runUntil(() -> plane.actingMasters() == 1, TIMEOUT.multipliedBy(2))).isTrue();
        plane.run(Duration.ofSeconds(5));
        assertThat(plane.masters()).hasSize(1).doesNotContain(b);
    }

    @Test
    void modeMasterOnAHotBackupMakesItElectableAndTakesOver() {
        TestPlane plane = new TestPlane();
        SimNode a = plane.add(AUTO);
        SimNode b = plane.add(HOT_BACKUP);
        plane.run(Duration.ofSeconds(3));
        b.node.changeMode(MASTER);
        assertThat(b.state()).isEqualTo(ManagementNodeState.HOT_STANDBY);
        assertThat(plane.runUntil(() -> b.state() == ManagementNodeState.MASTER, POLL.multipliedBy(3))).isTrue();
        assertThat(a.state()).isEqualTo(ManagementNodeState.HOT_STANDBY);
    }
}
