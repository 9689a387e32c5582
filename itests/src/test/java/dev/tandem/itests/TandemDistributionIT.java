package dev.tandem.itests;

import static dev.tandem.itests.ExamOptions.karaf;
import static dev.tandem.itests.ExamOptions.tandemDistribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.concurrent.ExecutionException;

import javax.inject.Inject;

import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Boots the built distribution (tar.gz) under pax-exam: feature {@code tandem} is at boot, the
 * components of ha-core and ha-rest are ACTIVE, the REST API answers at {@code /v1} with basic
 * auth against the {@code karaf} JAAS realm, and the {@code ha:} shell commands run in a Karaf session.
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

    @Inject
    protected SessionFactory sessionFactory;

    @Test
    public void restAnswersWithBasicAuth() throws Exception {
        assertRestAnswersMaster();
    }

    @Test
    public void shellCommandsRunInAKarafSession() throws Exception {
        assertRestAnswersMaster(); // a single node in AUTO mode is MASTER

        String states = ShellCommands.execute(sessionFactory, "ha:states");
        System.out.println("[shell] ha:states\n" + states);
        assertTrue(states, states.contains("MASTER") && states.contains("http://127.0.0.1:" + httpPort()) && states.contains(" *"));
        assertEquals("MASTER", ShellCommands.execute(sessionFactory, "ha:state").trim());

        String mode = ShellCommands.execute(sessionFactory, "ha:mode master");
        System.out.println("[shell] ha:mode master\n" + mode);
        assertTrue(mode, mode.contains("Mode MASTER: state MASTER -> MASTER"));
        assertFails("ha:mode bogus",
                "mode='bogus' is not valid; accepted: DISABLED, AUTO, MASTER, STANDBY, HOT_STANDBY, HOT_BACKUP (any case)");

        assertTrue(ShellCommands.execute(sessionFactory, "ha:priority 4").contains("Priority 0 -> 4"));
        assertEquals("4", ShellCommands.execute(sessionFactory, "ha:priority").trim());
        assertFails("ha:priority high", "priority='high' is not valid; accepted: an integer from -2147483648 to 2147483647");
        assertFails("ha:stepdown soon", "hold='soon' is not valid; accepted: a duration from 0 to 1d such as 500ms, 30s, 2m or 1h");
        assertTrue(ShellCommands.execute(sessionFactory, "ha:clear").contains("Removed the records"));
        assertFails("ha:clear no-such-node", "nodeId='no-such-node' is not valid");

        // the managed applications' commands (feature tandem-apps is part of the distribution)
        String apps = ShellCommands.execute(sessionFactory, "ha:apps");
        System.out.println("[shell] ha:apps\n" + apps);
        assertTrue(apps, apps.contains("Managed applications of the master:") && apps.contains("No applications."));
        assertFails("ha:entities nope", "No application 'nope'; there are no applications");
        assertFails("ha:invoke nope web start", "No application 'nope'; there are no applications");
    }

    private void assertFails(String command, String message) throws Exception {
        try {
            String out = ShellCommands.execute(sessionFactory, command);
            fail(command + " succeeded: " + out);
        } catch (ExecutionException e) {
            assertTrue(command + ": " + e.getCause(), String.valueOf(e.getCause().getMessage()).startsWith(message));
        }
    }
}
