package dev.tandem.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Three real distributions, started with bin/start on loopback ports and sharing one store folder,
 * put through SIGKILL and SIGSTOP/SIGCONT of the master (issue 3, "a multi-process test with three real
 * distributions"). Throughout, a {@link StateSampler} asks every node for GET /v1/server/ha/state every
 * 100 ms and logs what each answered to {@code target/chaos/sampler.log}; at the end no sampling round
 * may hold two MASTER answers, and the master that was paused must never answer MASTER after SIGCONT.
 */
class ThreeNodeChaosIT {

    private static final Duration POLL_PERIOD = Duration.ofSeconds(1);
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(4);
    /**
     * Three Karafs booting at once on 2 idle cores take 50 to 75 s until the plane is complete; on a box
     * loaded by other builds (load 17 seen) nearly 2 minutes. One Karaf restarting while two run: 12 to 20 s.
     */
    private static final Duration PLANE_BOOT_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);
    /** REST polling adds up to one sampling interval plus a request's latency to a measured takeover. */
    private static final Duration REST_SLACK = Duration.ofMillis(500);
    /** SPEC §5 / issue 3: a takeover within heartbeatTimeout + 2 poll periods. */
    private static final Duration TAKEOVER_BOUND = HEARTBEAT_TIMEOUT.plus(POLL_PERIOD.multipliedBy(2)).plus(REST_SLACK);
    /** A SIGSTOP that outlasts the heartbeat timeout well: 2.5 x. */
    private static final Duration PAUSE = Duration.ofMillis(HEARTBEAT_TIMEOUT.toMillis() * 5 / 2);
    /** A resumed master demotes itself at its first tick; "a few poll periods" of slack for a loaded box. */
    private static final Duration DEMOTION_BOUND = POLL_PERIOD.multipliedBy(3).plus(REST_SLACK);
    /** How long the plane must hold still to count as converged. */
    private static final Duration STABLE = POLL_PERIOD.multipliedBy(3);
    private static final Duration OBSERVE_INTERVAL = Duration.ofMillis(50);
    private static final String USER = "itest";
    private static final String PASSWORD = "itest-secret";
    private static final Pattern DEMOTION = Pattern.compile(
        "MASTER -> HOT_STANDBY .*(claimed epoch \\d+|lease .* expired.*self-fencing)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path work;
    private static List<KarafNode> nodes = List.of();
    private static StateSampler sampler;

    @BeforeAll
    static void unpackThreeNodes() throws IOException {
        Path distribution = Path.of(System.getProperty("tandem.distribution"));
        work = Path.of(System.getProperty("tandem.itest.dir", "target")).resolve("chaos").toAbsolutePath();
        Files.createDirectories(work);
        Path store = work.resolve("shared-store");
        KarafNode.deleteTree(store);
        Files.createDirectories(store);
        List<KarafNode> unpacked = new ArrayList<>();
        for (String name : List.of("node-a", "node-b", "node-c")) {
            unpacked.add(KarafNode.unpack(distribution, work, name, store, Durations.of(POLL_PERIOD),
                Durations.of(HEARTBEAT_TIMEOUT), USER, PASSWORD));
        }
        nodes = List.copyOf(unpacked);
        System.out.println("[chaos] " + nodes + ", store " + store);
    }

    @AfterAll
    static void killEverything() {
        if (sampler != null) {
            sampler.close();
        }
        KarafNode.resumeAndKillAll(nodes);
    }

    @Test
    void killAndPauseTheMaster() throws Exception {
        try {
            scenario();
        } catch (AssertionError | RuntimeException e) {
            KarafNode.printLogTails("chaos", nodes, 60);
            throw e;
        } finally {
            if (sampler != null) {
                sampler.close();
                System.out.println("[chaos] sampler: " + sampler.summary() + "; log " + sampler.logFile());
            }
        }
    }

    private void scenario() throws Exception {
        sampler = new StateSampler(nodes, work.resolve("sampler.log"), USER, PASSWORD);

        // 1. three nodes at once: one MASTER, two HOT_STANDBY, all three agreeing on who is master
        long t0 = System.nanoTime();
        for (KarafNode n : nodes) {
            n.start();
        }
        sampler.start();
        awaitOneMaster(nodes, PLANE_BOOT_TIMEOUT);
        System.out.printf("[chaos] 1. plane of three up %.1f s after bin/start%n", secondsSince(t0));
        KarafNode first = masterOf(nodes);
        checkAgreement(nodes, first);

        // 2. SIGKILL of the master's JVM: another node takes over within heartbeatTimeout + 2 poll periods
        ProcessHandle firstJvm = jvm(first);
        List<KarafNode> survivors = others(first);
        sampler.event("SIGKILL " + first.name() + " (pid " + firstJvm.pid() + ")");
        long killed = System.nanoTime();
        firstJvm.destroyForcibly();
        long killTakeover = awaitNewMaster(survivors, killed, TAKEOVER_BOUND.plusSeconds(30));
        KarafNode second = masterOf(survivors);
        sampler.event("takeover by " + second.name());
        firstJvm.onExit().get(30, TimeUnit.SECONDS);
        System.out.printf("[chaos] 2. SIGKILL %s: %s MASTER after %d ms (bound %d ms)%n",
            first.name(), second.name(), ms(killTakeover - killed), TAKEOVER_BOUND.toMillis());
        assertThat(Duration.ofNanos(killTakeover - killed))
            .as("takeover after SIGKILL of %s", first.name()).isLessThanOrEqualTo(TAKEOVER_BOUND);
        awaitOneMaster(survivors, Duration.ofSeconds(20));
        assertThat(masterOf(survivors)).isSameAs(second);

        // 3. the killed node comes back as a standby
        t0 = System.nanoTime();
        sampler.event("bin/start " + first.name());
        first.start();
        await(first.name() + " HOT_STANDBY after restart").atMost(BOOT_TIMEOUT).pollInterval(Duration.ofMillis(250))
            .until(() -> first.haState().filter("HOT_STANDBY"::equals).isPresent());
        System.out.printf("[chaos] 3. %s HOT_STANDBY %.1f s after bin/start%n", first.name(), secondsSince(t0));
        awaitOneMaster(nodes, Duration.ofSeconds(20));
        assertThat(masterOf(nodes)).as("master after the restart of %s", first.name()).isSameAs(second);
        checkAgreement(nodes, second);

        // 4. SIGSTOP of the master for 2.5 x heartbeatTimeout: another takes over; SIGCONT: the paused
        //    one demotes itself and stays a standby
        ProcessHandle secondJvm = jvm(second);
        List<KarafNode> awake = others(second);
        int demotionsBefore = demotionLines(second);
        sampler.event("SIGSTOP " + second.name() + " (pid " + secondJvm.pid() + ")");
        long stopped = System.nanoTime();
        sampler.paused(second, true);
        Signals.send(secondJvm, "STOP");
        long stopTakeover = awaitNewMaster(awake, stopped, TAKEOVER_BOUND.plusSeconds(30));
        KarafNode third = masterOf(awake);
        sampler.event("takeover by " + third.name());
        System.out.printf("[chaos] 4. SIGSTOP %s: %s MASTER after %d ms (bound %d ms)%n",
            second.name(), third.name(), ms(stopTakeover - stopped), TAKEOVER_BOUND.toMillis());
        assertThat(Duration.ofNanos(stopTakeover - stopped))
            .as("takeover after SIGSTOP of %s", second.name()).isLessThanOrEqualTo(TAKEOVER_BOUND);
        // the old master stays stopped for the whole pause, and the new one must stay MASTER all along
        Duration left = Duration.ofNanos(Math.max(0, stopped + PAUSE.toNanos() - System.nanoTime()));
        if (!left.isZero()) {
            await(third.name() + " stays MASTER while " + second.name() + " is stopped").during(left)
                .atMost(left.plusSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> third.haState().equals(java.util.Optional.of("MASTER")));
        }
        assertThat(third.haState()).as("%s still MASTER at the end of the pause", third.name()).contains("MASTER");
        long resumed = System.nanoTime();
        Signals.send(secondJvm, "CONT");
        sampler.paused(second, false);
        sampler.event("SIGCONT " + second.name() + " after " + ms(resumed - stopped) + " ms");
        AtomicLong demoted = new AtomicLong();
        await(second.name() + " HOT_STANDBY after SIGCONT").atMost(Duration.ofSeconds(30)).pollInterval(OBSERVE_INTERVAL)
            .until(() -> {
                boolean standby = second.haState().filter("HOT_STANDBY"::equals).isPresent();
                if (standby) {
                    demoted.set(System.nanoTime());
                }
                return standby;
            });
        sampler.event(second.name() + " HOT_STANDBY");
        System.out.printf("[chaos] 4. SIGCONT %s after %d ms: HOT_STANDBY after %d ms (bound %d ms)%n",
            second.name(), ms(resumed - stopped), ms(demoted.get() - resumed), DEMOTION_BOUND.toMillis());
        assertThat(Duration.ofNanos(demoted.get() - resumed))
            .as("demotion of %s after SIGCONT", second.name()).isLessThanOrEqualTo(DEMOTION_BOUND);
        awaitOneMaster(nodes, Duration.ofSeconds(20));
        assertThat(masterOf(nodes)).as("master after %s resumed", second.name()).isSameAs(third);
        checkAgreement(nodes, third);

        // 5. the resumed node says why it stepped down
        await(second.name() + " logs its demotion").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
            .until(() -> demotionLines(second) > demotionsBefore);
        System.out.println("[chaos] 5. " + second.name() + " logged: " + lastDemotionLine(second));

        // the sampler's verdict over the whole run, the resumed node's answers from SIGCONT to now included
        sampler.close();
        assertThat(sampler.roundsWithTwoMasters()).as("sampling rounds in which two nodes answered MASTER (%s)",
            sampler.logFile()).isEmpty();
        assertThat(sampler.masterAnswersSince(second, resumed))
            .as("%s answered MASTER after SIGCONT while %s was master (%s)", second.name(), third.name(), sampler.logFile())
            .isEmpty();
        assertThat(third.haState()).as("%s still MASTER at the end", third.name()).contains("MASTER");
        System.out.printf("[chaos] timings: SIGKILL->takeover %d ms, SIGSTOP->takeover %d ms, SIGCONT->HOT_STANDBY %d ms%n",
            ms(killTakeover - killed), ms(stopTakeover - stopped), ms(demoted.get() - resumed));
    }

    /** Waits until one of {@code candidates} answers MASTER; returns System.nanoTime() of that answer. */
    private static long awaitNewMaster(List<KarafNode> candidates, long since, Duration atMost) {
        AtomicLong seen = new AtomicLong();
        await("a new master among " + names(candidates)).atMost(atMost).pollInterval(OBSERVE_INTERVAL).until(() -> {
            for (KarafNode n : candidates) {
                if (n.haState().filter("MASTER"::equals).isPresent()) {
                    seen.set(System.nanoTime());
                    return true;
                }
            }
            return false;
        });
        return seen.get();
    }

    /** Waits until exactly one node answers MASTER and all others HOT_STANDBY, and that holds for {@link #STABLE}. */
    private static void awaitOneMaster(List<KarafNode> group, Duration atMost) {
        await("one MASTER and the rest HOT_STANDBY among " + names(group)).atMost(atMost.plus(STABLE))
            .during(STABLE).pollInterval(Duration.ofMillis(250)).until(() -> {
                Map<String, String> states = states(group);
                long masters = states.values().stream().filter("MASTER"::equals).count();
                long standbys = states.values().stream().filter("HOT_STANDBY"::equals).count();
                return masters == 1 && standbys == group.size() - 1;
            });
    }

    private static KarafNode masterOf(List<KarafNode> group) {
        List<KarafNode> masters = group.stream().filter(n -> n.haState().filter("MASTER"::equals).isPresent())
            .collect(Collectors.toList());
        assertThat(masters).as("nodes answering MASTER among %s", names(group)).hasSize(1);
        return masters.get(0);
    }

    /** GET /v1/server/ha/states on every node: one plane, distinct ids, and all name the same master. */
    private static void checkAgreement(List<KarafNode> group, KarafNode master) {
        await("all nodes name " + master.name() + " as master").atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                JsonNode m = haStates(master);
                String masterId = m.get("ownId").asText();
                List<String> ids = new ArrayList<>();
                for (KarafNode n : group) {
                    JsonNode s = haStates(n);
                    ids.add(s.get("ownId").asText());
                    assertThat(s.get("planeId").asText()).as("planeId of %s", n.name()).isEqualTo(m.get("planeId").asText());
                    assertThat(s.get("masterId").asText()).as("masterId of %s", n.name()).isEqualTo(masterId);
                    assertThat(s.get("nodes").get(masterId).get("status").asText())
                        .as("status of the master in %s's view", n.name()).isEqualTo("MASTER");
                }
                assertThat(ids).as("ownIds").doesNotHaveDuplicates();
            });
    }

    private static JsonNode haStates(KarafNode node) throws IOException {
        String body = node.get("/v1/server/ha/states").filter(r -> r.statusCode() == 200)
            .orElseThrow(() -> new AssertionError(node.name() + ": GET /v1/server/ha/states did not answer 200")).body();
        return JSON.readTree(body);
    }

    private static Map<String, String> states(List<KarafNode> group) {
        Map<String, String> states = new TreeMap<>();
        for (KarafNode n : group) {
            states.put(n.name(), n.haState().orElse("-"));
        }
        return states;
    }

    private static ProcessHandle jvm(KarafNode node) {
        return node.javaProcess().orElseThrow(() -> new AssertionError(node.name() + ": no Karaf JVM found"));
    }

    private static List<KarafNode> others(KarafNode node) {
        return nodes.stream().filter(n -> n != node).collect(Collectors.toList());
    }

    private static String names(List<KarafNode> group) {
        return group.stream().map(KarafNode::name).collect(Collectors.joining(", "));
    }

    private static List<String> demotions(KarafNode node) {
        Path log = node.home().resolve("data/log/karaf.log");
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> DEMOTION.matcher(l).find())
                .collect(Collectors.toList());
        } catch (IOException e) {
            return List.of();
        }
    }

    private static int demotionLines(KarafNode node) {
        return demotions(node).size();
    }

    private static String lastDemotionLine(KarafNode node) {
        List<String> lines = demotions(node);
        return lines.isEmpty() ? "(none)" : lines.get(lines.size() - 1).trim();
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    /** Durations in the form brooklyn.cfg takes ("1s", "4s", "500ms"). */
    private static final class Durations {
        static String of(Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
    }
}
