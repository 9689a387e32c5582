package dev.tandem.ha.core.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.core.FolderPlaneStore;
import dev.tandem.ha.core.ForwardingPlaneStore;
import dev.tandem.ha.core.HaClock;
import dev.tandem.ha.core.HaNode;
import dev.tandem.ha.core.HaSettings;
import dev.tandem.ha.core.NodeRunner;

/**
 * The master condition on the real clock with a real node: it follows the lease's own deadline (not the node's
 * thread, which may hang in a store request), a release waits for its withdrawal, and a dependent that is slow to
 * deactivate holds nothing.
 */
class MasterConditionTest {
    @TempDir
    Path base;

    private final CountDownLatch unhang = new CountDownLatch(1);
    private final AtomicBoolean blackhole = new AtomicBoolean();
    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    /** Records (un)registrations on the monotonic clock; an unregistration may be made to hang. */
    private static final class Recorder implements MasterCondition.Registrar {
        final AtomicBoolean registered = new AtomicBoolean();
        final AtomicInteger registrations = new AtomicInteger();
        final AtomicLong withdrawnAt = new AtomicLong();
        volatile CountDownLatch slowUnregister;

        @Override
        public Runnable register() {
            registered.set(true);
            registrations.incrementAndGet();
            return () -> {
                CountDownLatch slow = slowUnregister;
                if (slow != null) {
                    try {
                        slow.await(); // a dependent component that takes its time to deactivate
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                withdrawnAt.set(System.nanoTime());
                registered.set(false);
            };
        }
    }

    private HaNode node(Recorder recorder, AtomicBoolean registeredWhenReleaseRecorded) throws Exception {
        HaSettings settings = HaSettings.from(Map.of("highAvailabilityMode", "AUTO", "brooklyn.ha.pollPeriod", "1s",
                "brooklyn.ha.heartbeatTimeout", "3s", "persistenceDir", base.resolve("store").toString()), base);
        ForwardingPlaneStore store = new ForwardingPlaneStore(new FolderPlaneStore(base.resolve("store"))) {
            @Override
            protected void before(Request request, String key) throws StoreException {
                if (blackhole.get()) {
                    try {
                        unhang.await(); // a TCP blackhole: no answer, no error
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        HaNode[] self = new HaNode[1];
        ForwardingPlaneStore watched = new ForwardingPlaneStore(store) {
            @Override
            protected void before(Request request, String key) {
                HaNode n = self[0];
                if (request == Request.PUT && n != null && key.endsWith(n.nodeId())
                        && n.status().state() != ManagementNodeState.MASTER && registeredWhenReleaseRecorded != null) {
                    registeredWhenReleaseRecorded.compareAndSet(false, recorder.registered.get());
                }
            }
        };
        HaNode node = new HaNode(settings, watched, HaClock.SYSTEM, HaNode.newNodeId(), "1.0.0");
        self[0] = node;
        return node;
    }

    private NodeRunner start(HaNode node, MasterCondition condition) {
        NodeRunner runner = new NodeRunner(node);
        toClose.add(() -> {
            unhang.countDown();
            blackhole.set(false);
            runner.stop();
            condition.close();
        });
        condition.start();
        runner.start();
        return runner;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    /**
     * The store stops answering while the node is master: its thread hangs in a request and never finishes the
     * tick. The condition is withdrawn all the same, and before the lease runs out: its own timer fires at the
     * deadline less the margin. Waiting for the tick (or for the lapse the runner's lease timer reports at the
     * deadline) would fail both assertions below.
     */
    @Test
    void withdrawnBeforeTheLeaseRunsOutWhileTheNodesThreadHangsInTheStore() throws Exception {
        Recorder recorder = new Recorder();
        HaNode node = node(recorder, null);
        MasterCondition condition = new MasterCondition(node, recorder, MasterCondition.marginFor(node.settings()));
        start(node, condition);
        await().atMost(Duration.ofSeconds(10)).until(() -> node.isActingMaster() && recorder.registered.get());

        blackhole.set(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.registered.get());

        long leaseEnd = node.leaseExpiresAt(); // the last renewal's: a hung tick renews nothing
        assertThat(leaseEnd - recorder.withdrawnAt.get()).as("withdrawn this long before the lease's end, in ns")
                .isPositive();
        assertThat(node.status().state()).as("the node's thread is still stuck in its tick")
                .isEqualTo(ManagementNodeState.MASTER);
        assertThat(condition.registered()).isFalse();
    }

    /** A step-down withdraws the condition before the release is written; a new mastership registers it again. */
    @Test
    void aReleaseIsRecordedOnlyAfterTheWithdrawalAndANewLeaseRegistersAgain() throws Exception {
        Recorder recorder = new Recorder();
        AtomicBoolean registeredAtRelease = new AtomicBoolean();
        HaNode node = node(recorder, registeredAtRelease);
        MasterCondition condition = new MasterCondition(node, recorder, MasterCondition.marginFor(node.settings()));
        NodeRunner runner = start(node, condition);
        await().atMost(Duration.ofSeconds(10)).until(() -> node.isActingMaster() && recorder.registered.get());

        runner.call(() -> node.stepDown(0));
        assertThat(recorder.registered.get()).as("withdrawn when the step-down returns").isFalse();
        assertThat(registeredAtRelease.get()).as("registered while the release was written").isFalse();

        // alone in the plane, it is elected again once its hold is over: a new lease, a new registration
        await().atMost(Duration.ofSeconds(15)).until(() -> node.isActingMaster() && recorder.registered.get());
        assertThat(recorder.registrations.get()).isEqualTo(2);
    }

    /** A dependent that hangs in its deactivation delays a release by the bounded wait, not for as long as it hangs. */
    @Test
    void aDependentSlowToDeactivateDoesNotHoldTheNode() throws Exception {
        Recorder recorder = new Recorder();
        HaNode node = node(recorder, null);
        MasterCondition condition = new MasterCondition(node, recorder, MasterCondition.marginFor(node.settings()));
        NodeRunner runner = start(node, condition);
        await().atMost(Duration.ofSeconds(10)).until(() -> node.isActingMaster() && recorder.registered.get());

        CountDownLatch slow = new CountDownLatch(1);
        recorder.slowUnregister = slow;
        long before = System.nanoTime();
        runner.call(() -> node.stepDown(60_000_000_000L));
        long took = System.nanoTime() - before;
        try {
            assertThat(node.status().state()).isEqualTo(ManagementNodeState.HOT_STANDBY);
            assertThat(Duration.ofNanos(took)).isLessThan(Duration.ofMillis(MasterCondition.RELEASE_WAIT_MILLIS + 2000));
            assertThat(recorder.registered.get()).as("the dependent is still deactivating").isTrue();
        } finally {
            slow.countDown();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.registered.get());
    }
}
