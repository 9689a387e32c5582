package dev.tandem.itests;

import static dev.tandem.itests.ExamOptions.karaf;
import static dev.tandem.itests.ExamOptions.tandemDistribution;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Boots the built distribution (tar.gz) under pax-exam: feature {@code tandem} is at boot, the
 * components of ha-core and ha-rest are ACTIVE, and the REST API answers at {@code /v1} with basic
 * auth against the {@code karaf} JAAS realm.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TandemDistributionIT extends TandemInKaraf {

    @Configuration
    public Option[] config() {
        // the distribution's etc/users.properties has this group, as documented there
        return new Option[] {karaf(tandemDistribution(), "tandem", USER, PASSWORD, "_g_:admingroup")};
    }

    @Test
    public void featureInstalledAndComponentsActive() {
        assertTandemActive();
    }

    @Test
    public void restAnswersWithBasicAuth() throws Exception {
        assertRestAnswersMaster();
    }
}
