package dev.tandem.ha.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.ManagementNodeState;

/** The runner on the real clock: ticks come when the node asks for them, also right after a slow start. */
class NodeRunnerTest {

    /**
     * With T = 3 s and P = 1 s the lease is 1.94 s from the start of the claim. A claim that takes 1.2 s
     * (a slow store) leaves 0.74 s: the first renewal must come then, not a whole poll after the start,
     * or the new master's lease runs out and it gives mastership up a moment after winning it.
     */
    @Test
    void aMasterWhoseClaimWasSlowRenewsItsLeaseInTime() throws Exception {
        InMemoryPlaneStore shared = new InMemoryPlaneStore(System::currentTimeMillis);
        // the node's clock is the real one, plus the time its store requests would have taken: a claim that
        // takes 1.2 s moves it 1.2 s ahead at once (the runner's scheduler keeps real time)
        AtomicLong storeLatency = new AtomicLong();
        HaClock clock = new HaClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime() + storeLatency.get();
            }

            @Override
            public long currentTimeMillis() {
                return System.currentTimeMillis() + storeLatency.get() / 1_000_000;
            }
        };
        ForwardingPlaneStore slowClaims = new ForwardingPlaneStore(shared) {
            @Override
            protected void before(Request request, String key) {
                if (request == Request.CREATE && key.startsWith(PlaneKeys.EPOCHS)) {
                    storeLatency.addAndGet(Duration.ofMillis(1200).toNanos());
                }
            }
        };
        HaNode node = new HaNode(TestPlane.settings(Map.of(HaSettings.HA_MODE, "AUTO", HaSettings.POLL_PERIOD, "1s",
                HaSettings.HEARTBEAT_TIMEOUT, "3s")), slowClaims, clock, "n", "1.0.0");
        NodeRunner runner = new NodeRunner(node);
        try {
            runner.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> node.status().state() == ManagementNodeState.MASTER);
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5))
                    .until(() -> node.status().state() == ManagementNodeState.MASTER && node.isActingMaster());
            assertThat(node.history()).extracting(StateTransition::to).containsOnlyOnce(ManagementNodeState.MASTER);
            assertThat(node.status().epoch()).isEqualTo(1);
        } finally {
            runner.stop();
        }
    }

    /**
     * Finding 12 of the outside review: with the store blackholed, the node's thread sat in hung requests and
     * the master still reported MASTER (and listeners heard nothing) about 10 s after its lease had run out.
     * The lease timer reports the lapse at the lease's deadline, whatever the node's thread is doing.
     */
    @Test
    void aMasterStuckInAHungRequestReportsTheLapseAtItsLeaseDeadline() throws Exception {
        InMemoryPlaneStore shared = new InMemoryPlaneStore(System::currentTimeMillis);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean blackhole = new java.util.concurrent.atomic.AtomicBoolean();
        ForwardingPlaneStore hanging = new ForwardingPlaneStore(shared) {
            @Override
            protected void before(Request request, String key) {
                if (blackhole.get()) {
                    try {
                        release.await(); // a TCP blackhole: no answer, no error
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        HaNode node = new HaNode(TestPlane.settings(Map.of(HaSettings.HA_MODE, "AUTO", HaSettings.POLL_PERIOD, "1s",
                HaSettings.HEARTBEAT_TIMEOUT, "3s")), hanging, HaClock.SYSTEM, "n", "1.0.0");
        java.util.List<ManagementNodeState> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        node.addStateListener(heard::add);
        NodeRunner runner = new NodeRunner(node);
        try {
            runner.start();
            await().atMost(Duration.ofSeconds(10)).until(node::isActingMaster);
            heard.clear();
            blackhole.set(true);
            await().atMost(Duration.ofSeconds(5)).until(() -> heard.contains(ManagementNodeState.HOT_STANDBY));
            long reportedAt = System.nanoTime();
            long leaseEnds = node.leaseExpiresAt(); // the last renewal's: nothing renews a lapsed lease
            assertThat(reportedAt - leaseEnds).as("reported after the lease's end, in ns")
                    .isLessThan(Duration.ofMillis(500).toNanos());
            assertThat(node.effectiveState()).isEqualTo(ManagementNodeState.HOT_STANDBY);
            assertThat(node.status().state()).as("the node's thread is still stuck").isEqualTo(ManagementNodeState.MASTER);
            assertThat(node.history()).extracting(StateTransition::to).endsWith(ManagementNodeState.HOT_STANDBY);
        } finally {
            release.countDown();
            blackhole.set(false);
            runner.stop();
        }
    }

    /** A call after the stop, or one queued behind it, fails at once as "stopping", not as a rejection or a timeout. */
    @Test
    void callsAfterOrBehindTheStopFailAsStopping() throws Exception {
        HeldPutsStore slowStop = new HeldPutsStore(new InMemoryPlaneStore(System::currentTimeMillis));
        HaNode node = new HaNode(TestPlane.settings(Map.of(HaSettings.HA_MODE, "AUTO", HaSettings.POLL_PERIOD, "100ms",
                HaSettings.HEARTBEAT_TIMEOUT, "1s")), slowStop, HaClock.SYSTEM, "n", "1.0.0");
        NodeRunner runner = new NodeRunner(node);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool();
        try {
            runner.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> node.status().state() == ManagementNodeState.MASTER);
            slowStop.hold();
            java.util.concurrent.Future<?> stopping = pool.submit(runner::stop);
            assertThat(slowStop.awaitHeld(Duration.ofSeconds(10))).as("a write of the stop is held").isTrue();
            java.util.concurrent.Future<Object> queued = pool.submit(() -> {
                try {
                    return runner.call(() -> "answered");
                } catch (IllegalStateException e) {
                    return e.getMessage();
                }
            });
            // whether it is queued behind the stop or comes after it, it answers "stopping" once the stop is done
            slowStop.release();
            stopping.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(queued.get(5, java.util.concurrent.TimeUnit.SECONDS)).asString().contains("is stopping");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> runner.call(() -> "late"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("is stopping");
        } finally {
            slowStop.release();
            pool.shutdownNow();
            runner.stop();
        }
    }
}
