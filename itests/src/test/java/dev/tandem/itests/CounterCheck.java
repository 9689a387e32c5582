package dev.tandem.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The example master-only component's fenced writes were accepted from exactly one node at any time. Every node runs
 * feature {@code tandem-example-counter} and logs each count its write was acknowledged for (DEBUG of
 * {@code dev.tandem.ha.examples.counter}). A second writer at any moment (a frozen master whose condition is still
 * registered when it resumes, or two masters) would compute a count from the same previous value as the other, so the
 * same count would be accepted twice; fencing must refuse it. So: no count accepted twice, each node's counts
 * increase, the counter moved to other nodes with the failovers, and the final master holds at least the highest
 * accepted count.
 */
final class CounterCheck implements ChaosCheck {
    private static final String BLUEPRINT = "name: chaos-counter\nservices:\n- type: dev.tandem.examples.Counter\n  name: counter\n";
    private static final Pattern ACCEPTED = Pattern.compile("^(\\S+) .*Counter (\\S+): count (\\d+) accepted");

    private final AppsRest rest;
    private String appId;
    private String counterId;

    CounterCheck(AppsRest rest) {
        this.rest = rest;
    }

    @Override
    public void prepare(KarafNode node) throws IOException {
        Path features = node.home().resolve("etc/org.apache.karaf.features.cfg");
        String cfg = Files.readString(features, StandardCharsets.UTF_8);
        Files.writeString(features, cfg.replaceFirst("featuresBoot = \\\\", "featuresBoot = tandem-example-counter, \\\\"),
            StandardCharsets.UTF_8);
        Files.writeString(node.home().resolve("etc/org.ops4j.pax.logging.cfg"),
            "\nlog4j2.logger.tandemcounter.name = dev.tandem.ha.examples.counter\nlog4j2.logger.tandemcounter.level = DEBUG\n",
            StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    @Override
    public void planeUp(List<KarafNode> nodes, String unused) {
        KarafNode master = nodes.stream().filter(n -> n.haState().filter("MASTER"::equals).isPresent()).findFirst()
            .orElseThrow(() -> new AssertionError("no MASTER to deploy the counter on"));
        // the feature is installed at boot, after the HA core: until its type is registered a deploy is a 400
        java.util.concurrent.atomic.AtomicReference<String> deployed = new java.util.concurrent.atomic.AtomicReference<>();
        await("type dev.tandem.examples.Counter installed on " + master.name()).atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(500)).until(() -> {
                try {
                    deployed.set(rest.deploy(master, BLUEPRINT));
                    return true;
                } catch (AssertionError e) {
                    if (e.getMessage().contains("unknown entity type")) {
                        return false;
                    }
                    throw e;
                }
            });
        appId = deployed.get();
        await("the counter entity of " + appId).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
            .until(() -> rest.get(master, "/v1/applications/" + appId + "/entities").filter(AppsRest.Answer::ok).map(a -> {
                for (JsonNode e : a.json()) {
                    if ("counter".equals(e.path("name").asText())) {
                        counterId = e.path("id").asText();
                    }
                }
                return counterId != null;
            }).orElse(false));
        await("the counter counts on " + master.name()).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
            .until(() -> count(master) >= 2);
    }

    @Override
    public void verify(List<KarafNode> nodes) {
        Map<Long, List<String>> acceptedBy = new TreeMap<>();
        Map<String, Integer> perNode = new TreeMap<>();
        for (KarafNode n : nodes) {
            long previous = -1;
            for (String[] a : accepted(n)) {
                long value = Long.parseLong(a[1]);
                acceptedBy.computeIfAbsent(value, v -> new ArrayList<>()).add(n.name() + " at " + a[0]);
                assertThat(value).as("%s accepted count %s at %s after count %s", n.name(), value, a[0], previous)
                    .isGreaterThan(previous);
                previous = value;
                perNode.merge(n.name(), 1, Integer::sum);
            }
        }
        Map<Long, List<String>> twice = acceptedBy.entrySet().stream().filter(e -> e.getValue().size() > 1)
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        long highest = acceptedBy.isEmpty() ? 0 : ((TreeMap<Long, List<String>>) acceptedBy).lastKey();
        KarafNode last = nodes.stream().filter(n -> n.haState().filter("MASTER"::equals).isPresent()).findFirst()
            .orElseThrow(() -> new AssertionError("no MASTER at the end"));
        long finalCount = count(last);
        System.out.printf("[apps-chaos] counter %s: %d counts accepted (%s), highest %d, %d on the final master %s; "
            + "accepted twice: %s%n", counterId, acceptedBy.size(), perNode, highest, finalCount, last.name(), twice);
        assertThat(twice).as("counts accepted more than once (two writers at one time)").isEmpty();
        assertThat(perNode).as("nodes on which the counter's writes were accepted").hasSizeGreaterThanOrEqualTo(2);
        assertThat(finalCount).as("the count on the final master against the highest accepted").isGreaterThanOrEqualTo(highest);
    }

    private long count(KarafNode node) {
        return rest.sensor(node, appId, counterId, "count").map(JsonNode::asLong).orElse(-1L);
    }

    /** (timestamp, count) of every "count N accepted" line of the node's karaf.log files, oldest first. */
    private List<String[]> accepted(KarafNode node) {
        List<String[]> out = new ArrayList<>();
        Path logs = node.home().resolve("data/log");
        try (Stream<Path> files = Files.list(logs)) {
            // log4j2's default rollover: karaf.log.1 is the oldest, a higher index is newer, karaf.log the newest
            List<Path> sorted = files.filter(p -> p.getFileName().toString().startsWith("karaf.log"))
                .sorted(java.util.Comparator.comparingInt(CounterCheck::order)).collect(Collectors.toList());
            for (Path f : sorted) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    Matcher m = ACCEPTED.matcher(line);
                    if (m.find() && m.group(2).equals(counterId)) {
                        out.add(new String[] {m.group(1), m.group(3)});
                    }
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read the logs of " + node.name() + ": " + e, e);
        }
        return out;
    }

    private static int order(Path log) {
        String name = log.getFileName().toString();
        return name.equals("karaf.log") ? Integer.MAX_VALUE : Integer.parseInt(name.substring(name.lastIndexOf('.') + 1));
    }
}
