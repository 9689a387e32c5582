package dev.tandem.ha.core.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import dev.tandem.ha.core.FolderPlaneStore;
import dev.tandem.ha.core.HaClock;
import dev.tandem.ha.core.HaNode;
import dev.tandem.ha.core.HaSettings;
import dev.tandem.ha.core.NodeRunner;

/** State changes of a real node reach EventAdmin with the node, the state, the state before and the epoch. */
class StateEventsTest {
    @TempDir
    Path base;

    private static final class Collecting implements EventAdmin {
        final List<Event> posted = new CopyOnWriteArrayList<>();

        @Override
        public void postEvent(Event event) {
            posted.add(event);
        }

        @Override
        public void sendEvent(Event event) {
            throw new AssertionError("events are posted, never sent synchronously");
        }
    }

    @Test
    void stateChangesArePostedWhileAnEventAdminIsBound() throws Exception {
        HaSettings settings = HaSettings.from(Map.of("highAvailabilityMode", "AUTO", "brooklyn.ha.pollPeriod", "1s",
                "brooklyn.ha.heartbeatTimeout", "3s", "persistenceDir", base.resolve("store").toString()), base);
        HaNode node = new HaNode(settings, new FolderPlaneStore(base.resolve("store")), HaClock.SYSTEM,
                HaNode.newNodeId(), "1.0.0");
        StateEvents events = new StateEvents();
        Collecting admin = new Collecting();
        events.bind(admin);
        node.addStateListener(events.listenerFor(node));
        NodeRunner runner = new NodeRunner(node);
        try {
            runner.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> node.isActingMaster() && admin.posted.stream()
                    .anyMatch(e -> "MASTER".equals(e.getProperty("state"))));
            Event master = admin.posted.stream().filter(e -> "MASTER".equals(e.getProperty("state"))).findFirst().get();
            assertThat(master.getTopic()).isEqualTo("dev/tandem/ha/STATE_CHANGED");
            assertThat(master.getProperty("nodeId")).isEqualTo(node.nodeId());
            assertThat(master.getProperty("previousState")).isNotEqualTo("MASTER");
            assertThat(master.getProperty("epoch")).isEqualTo(1L);
            assertThat((Long) master.getProperty("timestamp")).isPositive();

            runner.call(() -> node.stepDown(60_000_000_000L));
            Event last = admin.posted.get(admin.posted.size() - 1);
            assertThat(last.getProperty("state")).isEqualTo("HOT_STANDBY");
            assertThat(last.getProperty("previousState")).isEqualTo("MASTER");
            assertThat(last.getProperty("epoch")).isEqualTo(1L);
            // every event follows the one before: INITIALIZING -> (a standby state while joining) -> MASTER -> ...
            assertThat(admin.posted.get(0).getProperty("previousState")).isEqualTo("INITIALIZING");
            for (int i = 1; i < admin.posted.size(); i++) {
                assertThat(admin.posted.get(i).getProperty("previousState"))
                        .isEqualTo(admin.posted.get(i - 1).getProperty("state"));
            }

            // unbound: nothing more is posted (the stop below changes the state to TERMINATED)
            events.unbind(admin);
            int before = admin.posted.size();
            runner.stop();
            assertThat(admin.posted).hasSize(before);
        } finally {
            runner.stop();
        }
    }

    @Test
    void anotherEventAdminThanTheBoundOneIsNotForgottenByMistake() throws Exception {
        StateEvents events = new StateEvents();
        Collecting first = new Collecting();
        Collecting second = new Collecting();
        events.bind(first);
        events.bind(second); // greedy: a better one replaced it
        events.unbind(first);
        events.listenerFor(new HaNode(HaSettings.from(Map.of("persistenceDir", base.resolve("s").toString()), base),
                new FolderPlaneStore(base.resolve("s")), HaClock.SYSTEM, "n", "1.0.0"))
                .accept(dev.tandem.ha.api.ManagementNodeState.STANDBY);
        assertThat(second.posted).hasSize(1);
        assertThat(second.posted.get(0).getProperty("previousState")).isEqualTo("INITIALIZING");
        assertThat(first.posted).isEmpty();
    }
}
