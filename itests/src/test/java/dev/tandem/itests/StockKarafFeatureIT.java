package dev.tandem.itests;

import static dev.tandem.itests.ExamOptions.karaf;
import static dev.tandem.itests.ExamOptions.stockKaraf;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A stock Apache Karaf: {@code feature:repo-add mvn:dev.tandem/karaf-features/VERSION/xml/features}
 * and {@code feature:install tandem} (through the FeaturesService, as those commands do) bring the
 * node up with the default etc/*.cfg files.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StockKarafFeatureIT extends TandemInKaraf {

    @Inject
    private FeaturesService features;

    @Configuration
    public Option[] config() {
        return new Option[] {
            // a stock users.properties has no group enabled: give the roles directly
            // and nothing blacklisted in etc/org.apache.karaf.features.xml: feature tandem-jaxrs does not pull in
            // CXF's cxf-commands, whose bundle this build's Maven mirror lacks
            karaf(stockKaraf(), "karaf", USER, PASSWORD, "admin,manager,viewer"),
        };
    }

    @Test
    public void repoAddAndInstall() throws Exception {
        features.addRepository(URI.create("mvn:dev.tandem/karaf-features/" + ExamOptions.TANDEM_VERSION + "/xml/features"));
        features.installFeature("tandem", EnumSet.noneOf(FeaturesService.Option.class));
        assertTrue(features.isInstalled(features.getFeature("tandem")));

        Path etc = Path.of(System.getProperty("karaf.etc"));
        for (String cfg : new String[] {"org.apache.brooklyn.osgilauncher.cfg", "brooklyn.cfg"}) {
            assertTrue(cfg + " in " + etc, Files.isRegularFile(etc.resolve(cfg)));
        }
        assertTandemActive();
        assertRestAnswersMaster();
        assertMasterOnlyWork();
    }

    /**
     * A stock Karaf's system packages lack org.osgi.service.condition: feature tandem-core brings a bundle that
     * exports it; the master condition is registered, and SCR runs the example counter on it (bound to ha-core's
     * condition, not the framework's TRUE one) only while this node is master.
     */
    private void assertMasterOnlyWork() throws Exception {
        Bundle haCore = awaitBundleActive("dev.tandem.ha.core");
        assertEquals("org.osgi.service.condition", MasterConditionChecks.conditionPackageProvider(haCore).getSymbolicName());
        await("master condition").atMost(READY_TIMEOUT).until(() -> MasterConditionChecks.masterCondition(bundleContext) != null);

        features.installFeature("tandem-example-counter", EnumSet.noneOf(FeaturesService.Option.class));
        Bundle counter = awaitBundleActive(MasterConditionChecks.COUNTER_BUNDLE);
        await("counter ACTIVE on the master condition").atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(200))
            .untilAsserted(() -> MasterConditionChecks.assertCounterRunsOnTheMasterCondition(bundleContext, counter, haCore));

        MasterConditionChecks.changeMode(bundleContext, "HOT_BACKUP");
        await("condition withdrawn").atMost(Duration.ofSeconds(10))
            .until(() -> MasterConditionChecks.masterCondition(bundleContext) == null);
        await("counter deactivated").atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> MasterConditionChecks.assertCounterNotRunning(bundleContext, counter));
    }
}
