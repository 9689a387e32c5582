package dev.tandem.itests;

import static dev.tandem.itests.ExamOptions.karaf;
import static dev.tandem.itests.ExamOptions.tandemDistribution;
import static dev.tandem.itests.MasterConditionChecks.assertCounterNotRunning;
import static dev.tandem.itests.MasterConditionChecks.assertCounterRunsOnTheMasterCondition;
import static dev.tandem.itests.MasterConditionChecks.conditionPackageProvider;
import static dev.tandem.itests.MasterConditionChecks.masterCondition;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.HighAvailabilityService;

/**
 * Master-only work through plain OSGi, in the built distribution: the system bundle exports
 * org.osgi.service.condition, ha-core registers the condition osgi.condition.id=tandem.master while the node is the
 * acting master, and {@code feature:install tandem-example-counter} brings a DS component that SCR runs only while
 * that condition is there. A Counter application deployed over REST counts up on the master, stops when the node
 * becomes a HOT_BACKUP (which still serves reads), and resumes from the last value when it is master again. The
 * state changes reach EventAdmin.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MasterOnlyWorkIT extends TandemInKaraf {
    private static final String BLUEPRINT = "name: counting\nservices:\n- type: dev.tandem.examples.Counter\n  name: c1\n";

    @Inject
    private FeaturesService features;

    @Inject
    private HighAvailabilityService ha;

    @Configuration
    public Option[] config() {
        return new Option[] {karaf(tandemDistribution(), "tandem", USER, PASSWORD, "_g_:admingroup")};
    }

    @Test
    public void theCounterCountsOnTheMasterOnly() throws Exception {
        assertTandemActive();
        assertRestAnswersMaster();
        Bundle haCore = awaitBundleActive("dev.tandem.ha.core");
        assertEquals("ha-core takes org.osgi.service.condition from the system bundle", 0L,
            conditionPackageProvider(haCore).getBundleId());
        await("master condition").atMost(READY_TIMEOUT).until(() -> masterCondition(bundleContext) != null);
        assertEquals(haCore.getBundleId(), masterCondition(bundleContext).getBundle().getBundleId());

        List<Event> events = new CopyOnWriteArrayList<>();
        Hashtable<String, Object> topic = new Hashtable<>();
        topic.put(EventConstants.EVENT_TOPIC, "dev/tandem/ha/STATE_CHANGED");
        ServiceRegistration<EventHandler> handler = bundleContext.registerService(EventHandler.class, events::add, topic);
        try {
            features.installFeature("tandem-example-counter", EnumSet.noneOf(FeaturesService.Option.class));
            Bundle counterBundle = awaitBundleActive(MasterConditionChecks.COUNTER_BUNDLE);
            // the features service sets bundles' start levels from their features at every deployment: the
            // distribution's own levels (ssh after the boot gate, the HTTP port after ha-rest) survive feature:install
            assertEquals("ssh after feature:install", 95, startLevel("org.apache.karaf.shell.ssh"));
            assertEquals("the JMX connector after feature:install", 95, startLevel("org.apache.karaf.management.server"));
            assertEquals("pax-web-runtime after feature:install", 46, startLevel("org.ops4j.pax.web.pax-web-runtime"));
            await("counter ACTIVE on the master condition").atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertCounterRunsOnTheMasterCondition(bundleContext, counterBundle, haCore));

            HttpResponse<String> deployed = send("POST", "/v1/applications", BLUEPRINT);
            assertEquals(deployed.body(), 201, deployed.statusCode());
            long early = await("count grows on the master").atMost(Duration.ofSeconds(20))
                .until(this::count, c -> c != null && c >= 3);

            ha.changeMode(HighAvailabilityMode.HOT_BACKUP);
            await("condition withdrawn").atMost(Duration.ofSeconds(10)).until(() -> masterCondition(bundleContext) == null);
            await("counter deactivated").atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertCounterNotRunning(bundleContext, counterBundle));
            await("HOT_BACKUP event").atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(e ->
                "HOT_BACKUP".equals(e.getProperty("state")) && "MASTER".equals(e.getProperty("previousState"))
                    && ha.getNodeId().equals(e.getProperty("nodeId")) && e.getProperty("epoch") instanceof Long));

            // a HOT_BACKUP serves reads from its copy; the count stands still for 3 s (a master adds 3)
            Stable stable = new Stable(Duration.ofSeconds(3));
            await("count stands still off the master").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> stable.test(count()));
            long stopped = stable.value;
            assertTrue("counted " + stopped + " after " + early, stopped >= early);

            ha.changeMode(HighAvailabilityMode.MASTER);
            await("master condition again").atMost(READY_TIMEOUT).until(() -> masterCondition(bundleContext) != null);
            long resumed = await("count resumes from " + stopped).atMost(READY_TIMEOUT).until(this::count,
                c -> c != null && c > stopped);
            assertTrue("resumed at " + resumed + " from " + stopped + ", not from 0", resumed <= stopped + 5);
            // HOT_BACKUP -> HOT_STANDBY (mode MASTER) -> MASTER of a new epoch
            await("MASTER event").atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(e ->
                "MASTER".equals(e.getProperty("state")) && "HOT_STANDBY".equals(e.getProperty("previousState"))
                    && Long.valueOf(ha.getEpoch()).equals(e.getProperty("epoch")) && ha.getEpoch() >= 2));
        } finally {
            handler.unregister();
        }
    }

    /** True once the same value has been seen for the whole of {@code period}. */
    private static final class Stable {
        private final long periodNanos;
        Long value;
        private long since;

        Stable(Duration period) {
            this.periodNanos = period.toNanos();
        }

        boolean test(Long now) {
            if (now == null || !now.equals(value)) {
                value = now;
                since = System.nanoTime();
                return false;
            }
            return System.nanoTime() - since >= periodNanos;
        }
    }

    /** The Counter's sensor "count" over REST, or null while it cannot be read. */
    private Long count() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/applications/counting/entities/c1/sensors/count", null);
        if (r == null || r.statusCode() != 200) {
            return null;
        }
        return Long.parseLong(r.body().trim());
    }

    private HttpResponse<String> send(String method, String path, String yaml) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        if (yaml != null) {
            request.header("Content-Type", "application/x-yaml").method(method, HttpRequest.BodyPublishers.ofString(yaml));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException notYet) {
            return null;
        }
    }

    private int startLevel(String symbolicName) {
        return java.util.Arrays.stream(bundleContext.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName()))
            .findFirst().orElseThrow(() -> new AssertionError(symbolicName + " is not installed"))
            .adapt(BundleStartLevel.class).getStartLevel();
    }
}
