package dev.tandem.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Which class data archive {@code bin/setenv} gives the node's JVM, checked in the shell alone (no JVM starts): the one
 * the distribution ships in lib/cds while the class path's jars are as the build recorded them; otherwise an archive
 * the node writes for itself in data/cds, and uses from then on; none with {@code TANDEM_CDS=off}. And the node's class
 * path relative to KARAF_HOME, which is what lets the shipped archive serve an installation in any folder.
 * {@link BootStateIT} checks that a real node maps the shipped archive.
 */
class SetenvClassDataIT {
    /** Relative to KARAF_HOME, the JVM's working folder. */
    private static final Pattern SHIPPED = Pattern.compile("-XX:SharedArchiveFile=(lib/cds/tandem-(\\d+)\\.jsa)(\\s|$)");

    @Test
    void aFreshUnpackGetsTheShippedArchiveWhateverItsFolder() throws IOException {
        for (String name : List.of("one", "another-folder")) {
            Path home = unpack(name);
            shippedKey(home);
            String opts = setenv(home, Map.of(), "printf '%s|%s' \"$EXTRA_JAVA_OPTS\" \"${TANDEM_RELATIVE_CP:-}\"");
            Matcher shipped = SHIPPED.matcher(opts);
            assertThat(shipped.find()).as(name + ": the shipped archive in " + opts).isTrue();
            assertThat(home.resolve(shipped.group(1))).isRegularFile();
            assertThat(opts).doesNotContain("ArchiveClassesAtExit").endsWith("|1");
            assertThat(home.resolve("data/cds")).as("nothing written for it").doesNotExist();
        }
    }

    @Test
    void aJarAtAnotherTimeMakesTheNodeWriteItsOwnArchiveAndThenUseIt() throws IOException {
        Path home = unpack("touched");
        String key = shippedKey(home);
        Path jar = home.resolve("lib/boot/osgi.core-8.0.0.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));

        String opts = setenv(home, Map.of(), "printf '%s' \"$EXTRA_JAVA_OPTS\"");
        Path own = home.resolve("data/cds/tandem-" + key + ".jsa");
        assertThat(opts).as("the JVM would refuse the shipped archive: it writes its own as it exits")
                .contains("-XX:ArchiveClassesAtExit=data/cds/tandem-" + key + ".jsa").doesNotContain("SharedArchiveFile");
        assertThat(Files.readString(home.resolve("data/cds/tandem-" + key + ".jars")))
                .as("the jars as its archive will record them")
                .contains("lib/boot/osgi.core-8.0.0.jar " + Files.size(jar) + " "
                        + Files.getLastModifiedTime(jar).toMillis() / 1000);

        Files.copy(home.resolve("lib/cds/tandem-" + key + ".jsa"), own); // stands for the archive the JVM wrote
        assertThat(setenv(home, Map.of(), "printf '%s' \"$EXTRA_JAVA_OPTS\"")).as("the node's own archive from then on")
                .contains("-XX:SharedArchiveFile=data/cds/tandem-" + key + ".jsa").doesNotContain("ArchiveClassesAtExit");

        Path other = home.resolve("lib/jdk9plus/txw2-2.3.9.jar");
        Files.setLastModifiedTime(other, FileTime.fromMillis(Files.getLastModifiedTime(other).toMillis() + 60_000));
        assertThat(setenv(home, Map.of(), "printf '%s' \"$EXTRA_JAVA_OPTS\""))
                .as("a jar changed after the node wrote its archive (an upgrade that kept data/): it writes a new one")
                .contains("-XX:ArchiveClassesAtExit=data/cds/tandem-" + key + ".jsa").doesNotContain("SharedArchiveFile");
        assertThat(own).as("the stale archive removed").doesNotExist();
    }

    @Test
    void whatElseReachesTheJvmIsPartOfTheKey() throws IOException {
        Path home = unpack("environment");
        String key = shippedKey(home);
        for (Map.Entry<String, String> e : Map.of("CLASSPATH", "/opt/extra.jar", "JAVA_OPTS", "-Xss2m",
                "KARAF_OPTS", "-Dx=y", "JAVA_TOOL_OPTIONS", "-Xss2m", "JDK_JAVA_OPTIONS", "-Xss2m",
                "TANDEM_HEAP", "-Xmx256m").entrySet()) {
            String opts = setenv(home, Map.of(e.getKey(), e.getValue()), "printf '%s' \"$EXTRA_JAVA_OPTS\"");
            assertThat(opts).as(e.getKey() + ": not the shipped archive, one of its own under another key")
                    .doesNotContain("lib/cds").contains("-XX:ArchiveClassesAtExit=data/cds/tandem-")
                    .doesNotContain("tandem-" + key + ".jsa");
        }
    }

    @Test
    void offOrAnotherKarafBaseLeaveTheShippedArchiveAlone() throws IOException {
        Path home = unpack("off");
        String key = shippedKey(home);
        assertThat(setenv(home, Map.of("TANDEM_CDS", "off"), "printf '%s|%s' \"$EXTRA_JAVA_OPTS\" \"${TANDEM_RELATIVE_CP:-}\""))
                .doesNotContain("SharedArchiveFile").doesNotContain("ArchiveClassesAtExit").endsWith("|");

        Path base = Files.createDirectories(home.resolveSibling("off-base"));
        String opts = setenv(home, Map.of("KARAF_BASE", base.toString()),
                "printf '%s|%s' \"$EXTRA_JAVA_OPTS\" \"${TANDEM_RELATIVE_CP:-}\"");
        assertThat(opts).as("an absolute class path: an archive of its own, under another key")
                .contains("-XX:ArchiveClassesAtExit=" + home.resolve("data/cds/tandem-"))
                .doesNotContain("tandem-" + key + ".jsa").doesNotContain("lib/cds").endsWith("|");
    }

    @Test
    void theNodesClassPathIsMadeRelativeToKarafHome() throws IOException {
        Path home = unpack("relative").toRealPath();
        String run = "h=$(pwd); KARAF_HOME=$h; KARAF_BASE=$h; tandem_exec printf '%s\\n' -Dx=$h/lib/boot/a.jar -classpath "
                + "\"$h/lib/boot/a.jar:/opt/other/b.jar:$h/lib/jdk9plus/c.jar\" org.apache.karaf.main.Main";
        assertThat(setenv(home, Map.of(), run).lines().toList()).containsExactly("-Dx=" + home + "/lib/boot/a.jar",
                "-classpath", "lib/boot/a.jar:/opt/other/b.jar:lib/jdk9plus/c.jar", "org.apache.karaf.main.Main");

        String elsewhere = "h=$(pwd); KARAF_HOME=$h; KARAF_BASE=/somewhere/else; tandem_exec printf '%s\\n' -classpath "
                + "\"$h/lib/boot/a.jar\"";
        assertThat(setenv(home, Map.of(), elsewhere).lines().toList()).as("KARAF_BASE elsewhere: left as it is")
                .containsExactly("-classpath", home + "/lib/boot/a.jar");

        String notFromHome = "h=$(pwd); KARAF_HOME=$h; KARAF_BASE=/somewhere/else; tandem_exec printf '%s\\n' "
                + "-XX:SharedArchiveFile=lib/cds/tandem-1.jsa -XX:ArchiveClassesAtExit=data/cds/tandem-1.jsa "
                + "-XX:SharedArchiveFile=/opt/a.jsa -Xlog:cds*=error";
        assertThat(setenv(home, Map.of(), notFromHome).lines().toList())
                .as("not run from KARAF_HOME: archives given relative to it are dropped, others kept")
                .containsExactly("-XX:SharedArchiveFile=/opt/a.jsa", "-Xlog:cds*=error");
    }

    private static String shippedKey(Path home) throws IOException {
        assumeTrue(Files.isDirectory(home.resolve("lib/cds")), "the distribution was built with -Dtandem.cds.skip");
        try (var files = Files.list(home.resolve("lib/cds"))) {
            List<String> keys = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".jsa"))
                    .map(f -> f.substring("tandem-".length(), f.length() - ".jsa".length())).toList();
            assertThat(keys).as("one shipped archive").hasSize(1);
            return keys.get(0);
        }
    }

    /**
     * Sources bin/setenv as bin/start does (from a script in bin/, KARAF_SCRIPT=start, the build's JDK) in a shell
     * that then runs {@code then}; returns what that printed.
     */
    private static String setenv(Path home, Map<String, String> environment, String then) throws IOException {
        Path probe = home.resolve("bin/setenv-probe");
        Files.writeString(probe, ". \"$(dirname \"$0\")/setenv\"\n" + then + "\n");
        ProcessBuilder pb = new ProcessBuilder("sh", probe.toString()).directory(home.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("TANDEM_") || k.startsWith("KARAF_") || k.equals("EXTRA_JAVA_OPTS"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("KARAF_SCRIPT", "start");
        env.putAll(environment);
        String out = succeeded(pb, "sh bin/setenv-probe");
        Files.delete(probe);
        return out;
    }

    /** Runs the process to its end (within 2 minutes) and returns its output; it must exit with 0. */
    private static String succeeded(ProcessBuilder pb, String what) throws IOException {
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(what + " ended").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        assertThat(p.exitValue()).as(what + ": " + out).isZero();
        return out;
    }

    private static Path unpack(String name) throws IOException {
        Path distribution = Path.of(System.getProperty("tandem.distribution"));
        Path work = Path.of(System.getProperty("tandem.itest.dir", "target")).resolve("setenv-cds").toAbsolutePath();
        Path dir = work.resolve(name + ".unpack");
        KarafNode.deleteTree(dir);
        Files.createDirectories(dir);
        succeeded(new ProcessBuilder("tar", "xzf", distribution.toString(), "-C", dir.toString())
                .redirectErrorStream(true), "tar xzf");
        try (var top = Files.list(dir)) {
            return top.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }
}
