package dev.tandem.itests;

import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;

import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.options.MavenArtifactUrlReference;

/** pax-exam options shared by the tests that boot a Karaf distribution (Tandem's or a stock one). */
final class ExamOptions {

    static final String KARAF_VERSION = System.getProperty("karaf.version", "4.4.10");
    static final String TANDEM_VERSION = System.getProperty("tandem.version");

    private ExamOptions() {
    }

    /**
     * Unpacks {@code distribution}, with bin/karaf's Java 9+ options, free ports, a user with
     * {@code roles} and pax-url reading only the build's local repository.
     */
    static Option karaf(MavenArtifactUrlReference distribution, String name, String user, String password, String roles) {
        File target = new File(System.getProperty("tandem.itest.dir", "target"));
        String localRepo = new File(System.getProperty("maven.repo.local")).toURI().toString();
        String mvnCfg = "etc/org.ops4j.pax.url.mvn.cfg";
        return composite(
            karafDistributionConfiguration()
                .frameworkUrl(distribution)
                .name(name)
                .unpackDirectory(new File(target, "exam"))
                .useDeployFolder(false),
            keepRuntimeFolder(),
            configureConsole().ignoreLocalConsole(),
            logLevel(LogLevel.INFO),
            // pax-exam 4.14 adds none of bin/karaf's Java 9+ options (paths relative to the Karaf home)
            vmOptions(
                "--add-reads=java.xml=java.logging",
                "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + KARAF_VERSION + ".jar",
                "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + KARAF_VERSION + ".jar",
                "--add-opens", "java.base/java.security=ALL-UNNAMED",
                "--add-opens", "java.base/java.net=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/java.util=ALL-UNNAMED",
                "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
                "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
                "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
                "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
                "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
                "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED"),
            // every bundle comes from the build's local repository, read as a plain file repository;
            // the container downloads into its own folder and needs no network
            editConfigurationFilePut(mvnCfg, "org.ops4j.pax.url.mvn.repositories", localRepo + "@id=build.local@snapshots"),
            editConfigurationFilePut(mvnCfg, "org.ops4j.pax.url.mvn.localRepository", new File(target, "exam-m2").getAbsolutePath()),
            // free ports, so that the test runs next to anything else (including a running Tandem)
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", Integer.toString(FreePorts.next())),
            // loopback only; the node then publishes http://127.0.0.1:PORT (its listening address)
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.listening.addresses", "127.0.0.1"),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(FreePorts.next())),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(FreePorts.next())),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(FreePorts.next())),
            // Tandem's distribution and a stock Karaf both ship without any user
            editConfigurationFilePut("etc/users.properties", user, password + "," + roles),
            // the tests' own settings, for the code that runs inside the container
            systemProperty("tandem.version").value(TANDEM_VERSION),
            // Awaitility for the bounded waits inside the container
            mavenBundle("org.hamcrest", "hamcrest", "2.2"),
            mavenBundle("org.awaitility", "awaitility", "4.2.1"));
    }

    static MavenArtifactUrlReference tandemDistribution() {
        return maven().groupId("dev.tandem").artifactId("distribution").version(TANDEM_VERSION).type("tar.gz");
    }

    static MavenArtifactUrlReference stockKaraf() {
        return maven().groupId("org.apache.karaf").artifactId("apache-karaf").version(KARAF_VERSION).type("tar.gz");
    }
}
