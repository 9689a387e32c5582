package dev.tandem.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Two real distributions, started with bin/start on loopback ports and sharing one store folder:
 * the first becomes MASTER, the second HOT_STANDBY; bin/stop of the master and kill -9 of the master
 * each hand mastership to the other within the bounds of the spec.
 */
class MultiNodeFailoverIT {

    private static final Duration POLL_PERIOD = Duration.ofSeconds(1);
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);
    /** Karaf boots in 10 to 20 s on 2 cores; the second node boots while the first runs. */
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration OBSERVE_INTERVAL = Duration.ofMillis(100);
    private static final Set<String> STATES =
        Set.of("INITIALIZING", "STANDBY", "HOT_STANDBY", "HOT_BACKUP", "MASTER", "FAILED", "TERMINATED");

    private static KarafNode a;
    private static KarafNode b;

    @BeforeAll
    static void unpackTwoNodes() throws IOException {
        Path distribution = Path.of(System.getProperty("tandem.distribution"));
        Path work = Path.of(System.getProperty("tandem.itest.dir", "target")).resolve("multi").toAbsolutePath();
        Files.createDirectories(work);
        Path store = work.resolve("shared-store");
        KarafNode.deleteTree(store);
        Files.createDirectories(store);
        a = KarafNode.unpack(distribution, work, "node-a", store, "1s", "3s", "itest", "itest-secret");
        b = KarafNode.unpack(distribution, work, "node-b", store, "1s", "3s", "itest", "itest-secret");
        System.out.println("[multi] " + a + ", " + b + ", store " + store);
    }

    @AfterAll
    static void killEverything() {
        for (KarafNode n : new KarafNode[] {a, b}) {
            if (n != null) {
                n.killAll();
            }
        }
    }

    @Test
    void failoverOnStopAndOnKill() throws Exception {
        try {
            scenario();
        } catch (AssertionError | RuntimeException e) {
            for (KarafNode n : List.of(a, b)) {
                System.out.println("[multi] ---- last lines of " + n.name() + "'s karaf.log ----\n" + n.logTail(60));
            }
            throw e;
        }
    }

    private void scenario() throws Exception {
        // 1. the first node elects itself
        long t0 = System.nanoTime();
        a.start();
        a.awaitState("MASTER", BOOT_TIMEOUT);
        System.out.printf("[multi] %s MASTER %.1f s after bin/start%n", a.name(), secondsSince(t0));

        // 2. the second node finds a healthy master
        t0 = System.nanoTime();
        b.start();
        b.awaitState("HOT_STANDBY", BOOT_TIMEOUT);
        System.out.printf("[multi] %s HOT_STANDBY %.1f s after bin/start%n", b.name(), secondsSince(t0));
        assertThat(a.haState()).contains("MASTER");
        checkStates(a, b);

        // 3. bin/stop of the master: the standby takes over within 2 x pollPeriod of the master going
        //    away, measured from the first sign of it: its REST stops answering (or its JVM exits)
        ProcessHandle aJvm = a.javaProcess().orElseThrow(() -> new AssertionError(a.name() + ": no Karaf JVM found"));
        Observation stop = new Observation(b, a, aJvm);
        long stopCalled = System.nanoTime();
        // bin/stop waits for the JVM to exit: run it beside the observation, which times the takeover
        CompletableFuture<Long> stopScript = CompletableFuture.supplyAsync(() -> {
            try {
                a.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return System.nanoTime();
        });
        stop.awaitTakeover(Duration.ofSeconds(60));
        long stopReturned = stopScript.get(90, TimeUnit.SECONDS);
        assertThat(aJvm.isAlive()).as("%s's JVM still runs when bin/stop returned", a.name()).isFalse();
        await(a.name() + " JVM exits").atMost(Duration.ofSeconds(60)).pollInterval(OBSERVE_INTERVAL)
            .until(() -> stop.observe() && stop.oldMasterExit != 0);
        long gone = Math.min(stop.oldMasterRestGone, stop.oldMasterExit);
        System.out.printf("[multi] bin/stop %s: %s MASTER +%.2f s after bin/stop was called%n", a.name(), b.name(),
            seconds(stop.newMaster - stopCalled));
        System.out.printf("[multi] bin/stop %s: script returned +%.2f s, REST gone +%.2f s, JVM exit +%.2f s; "
                + "%s MASTER +%.2f s = %+.2f s after the REST went, %+.2f s after the JVM exit (bound %d ms)%n",
            a.name(), seconds(stopReturned - stopCalled), seconds(stop.oldMasterRestGone - stopCalled),
            seconds(stop.oldMasterExit - stopCalled), b.name(), seconds(stop.newMaster - stopCalled),
            seconds(stop.newMaster - stop.oldMasterRestGone), seconds(stop.newMaster - stop.oldMasterExit),
            2 * POLL_PERIOD.toMillis());
        assertThat(stop.bothMaster).as("both nodes reported MASTER at once").isNull();
        assertThat(stop.newMaster - gone)
            .as("%s MASTER at most 2 x pollPeriod after %s went away", b.name(), a.name())
            .isLessThanOrEqualTo(2 * POLL_PERIOD.toNanos());

        // 4. the old master comes back as a standby: bin/start right after bin/stop returned
        //    ("bin/stop && bin/start" works because bin/stop returns once the JVM is gone)
        t0 = System.nanoTime();
        a.start();
        a.awaitState("HOT_STANDBY", BOOT_TIMEOUT);
        System.out.printf("[multi] %s HOT_STANDBY %.1f s after bin/start%n", a.name(), secondsSince(t0));
        assertThat(b.haState()).contains("MASTER");
        checkStates(b, a);

        // 5. kill -9 of the master: the standby takes over within heartbeatTimeout + 2 x pollPeriod
        ProcessHandle bJvm = b.javaProcess().orElseThrow(() -> new AssertionError(b.name() + ": no Karaf JVM found"));
        Observation kill = new Observation(a, b, bJvm);
        long killed = System.nanoTime();
        bJvm.destroyForcibly();
        kill.awaitTakeover(Duration.ofSeconds(60));
        long bound = HEARTBEAT_TIMEOUT.toNanos() + 2 * POLL_PERIOD.toNanos();
        System.out.printf("[multi] kill -9 %s (pid %d): JVM gone +%.2f s; %s MASTER +%.2f s after the kill (bound %d ms)%n",
            b.name(), bJvm.pid(), seconds(kill.oldMasterExit - killed), a.name(), seconds(kill.newMaster - killed),
            bound / 1_000_000);
        assertThat(kill.bothMaster).as("both nodes reported MASTER at once").isNull();
        assertThat(kill.newMaster - killed)
            .as("%s MASTER at most heartbeatTimeout + 2 x pollPeriod after kill -9 of %s", a.name(), b.name())
            .isLessThanOrEqualTo(bound);
    }

    /**
     * Watches a takeover at {@link #OBSERVE_INTERVAL}: when the new master first answers MASTER, when
     * the old master's REST stops answering and when its JVM is gone. The standby is asked before the
     * old master, so "both MASTER" in one round means the old master still claimed it afterwards.
     */
    private static final class Observation {
        final KarafNode standby;
        final KarafNode oldMaster;
        final ProcessHandle oldMasterJvm;
        long newMaster;
        long oldMasterRestGone;
        long oldMasterExit;
        String bothMaster;

        Observation(KarafNode standby, KarafNode oldMaster, ProcessHandle oldMasterJvm) {
            this.standby = standby;
            this.oldMaster = oldMaster;
            this.oldMasterJvm = oldMasterJvm;
        }

        /** One round of observation; true once the standby has been seen as MASTER. */
        boolean observe() {
            Optional<String> s = standby.haState();
            long now = System.nanoTime();
            if (newMaster == 0 && s.filter("MASTER"::equals).isPresent()) {
                newMaster = now;
            }
            if (oldMasterRestGone == 0 || oldMasterExit == 0) {
                Optional<String> o = oldMasterRestGone == 0 ? oldMaster.haState() : Optional.empty();
                now = System.nanoTime();
                if (oldMasterRestGone == 0 && o.isEmpty()) {
                    oldMasterRestGone = now;
                }
                if (s.filter("MASTER"::equals).isPresent() && o.filter("MASTER"::equals).isPresent() && bothMaster == null) {
                    bothMaster = standby.name() + " and " + oldMaster.name() + " both MASTER";
                }
                if (oldMasterExit == 0 && !oldMasterJvm.isAlive()) {
                    oldMasterExit = System.nanoTime();
                }
            }
            return newMaster != 0;
        }

        void awaitTakeover(Duration atMost) {
            await(standby.name() + " becomes MASTER").atMost(atMost).pollInterval(OBSERVE_INTERVAL).until(this::observe);
        }
    }

    /** /v1/server/ha/states as the master and the standby see it, with the types Brooklyn's clients expect. */
    private static void checkStates(KarafNode master, KarafNode standby) {
        await("states of " + master.name() + " and " + standby.name()).atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                JsonNode m = states(master);
                JsonNode s = states(standby);
                assertThat(m.get("planeId").asText()).isEqualTo(s.get("planeId").asText());
                assertThat(m.get("ownId").asText()).isNotEqualTo(s.get("ownId").asText());
                assertThat(m.get("masterId").asText()).isEqualTo(m.get("ownId").asText());
                assertThat(s.get("masterId").asText()).isEqualTo(m.get("ownId").asText());
                for (JsonNode view : List.of(m, s)) {
                    JsonNode nodes = view.get("nodes");
                    assertThat(nodes.has(m.get("ownId").asText())).as("nodes has the master: %s", view).isTrue();
                    assertThat(nodes.has(s.get("ownId").asText())).as("nodes has the standby: %s", view).isTrue();
                    assertThat(nodes.get(m.get("ownId").asText()).get("status").asText()).isEqualTo("MASTER");
                    assertThat(nodes.get(s.get("ownId").asText()).get("status").asText()).isEqualTo("HOT_STANDBY");
                }
            });
    }

    private static JsonNode states(KarafNode node) throws IOException {
        JsonNode root = node.requireJson("/v1/server/ha/states");
        String body = root.toString();
        assertThat(root.isObject()).as("states of %s: %s", node.name(), body).isTrue();
        for (String key : List.of("planeId", "ownId", "masterId")) {
            assertThat(root.get(key)).as("%s in %s", key, body).isNotNull();
            assertThat(root.get(key).isTextual()).as("%s is a string in %s", key, body).isTrue();
        }
        JsonNode nodes = root.get("nodes");
        assertThat(nodes).as("nodes in %s", body).isNotNull();
        assertThat(nodes.isObject()).as("nodes is an object in %s", body).isTrue();
        long year2020 = 1_577_836_800_000L;
        for (Iterator<Map.Entry<String, JsonNode>> it = nodes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode n = e.getValue();
            String where = e.getKey() + " in " + body;
            assertThat(n.get("nodeId").asText()).as("nodeId of %s", where).isEqualTo(e.getKey());
            assertThat(n.get("nodeUri").isTextual()).as("nodeUri is a string: %s", where).isTrue();
            assertThat(n.get("status").isTextual()).as("status is a string: %s", where).isTrue();
            assertThat(STATES).as("status of %s", where).contains(n.get("status").asText());
            for (String ts : List.of("localTimestamp", "remoteTimestamp")) {
                assertThat(n.get(ts)).as("%s of %s", ts, where).isNotNull();
                assertThat(n.get(ts).isIntegralNumber()).as("%s is an integer: %s", ts, where).isTrue();
                assertThat(n.get(ts).asLong()).as("%s is epoch millis: %s", ts, where).isGreaterThan(year2020);
            }
            assertThat(n.get("priority")).as("priority of %s", where).isNotNull();
            assertThat(n.get("priority").isNumber()).as("priority is a number: %s", where).isTrue();
        }
        return root;
    }

    private static double secondsSince(long t0) {
        return seconds(System.nanoTime() - t0);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
