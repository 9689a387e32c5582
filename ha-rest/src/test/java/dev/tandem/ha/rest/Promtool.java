package dev.tandem.ha.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus' own {@code promtool}, found or installed by {@code scripts/ensure-promtool.sh} (Debian package
 * {@code prometheus}). Tests are skipped, saying why, only where the script cannot install it (no apt-get, not root).
 */
final class Promtool {

    /** What a run printed and how it ended. */
    record Result(int exitCode, String output) {}

    private final Path executable;

    private Promtool(Path executable) {
        this.executable = executable;
    }

    /** promtool, installed if missing; the calling test is skipped if it cannot be had. */
    static Promtool ensure() throws IOException, InterruptedException {
        Path script = repositoryRoot().resolve("scripts/ensure-promtool.sh");
        assertThat(script).exists();
        Result r = run(List.of("bash", script.toString()), null, 900);
        if (r.exitCode() == 3) {
            String why = "promtool is not available and cannot be installed here: " + r.output().trim();
            System.out.println("[promtool] SKIPPED: " + why);
            Assumptions.abort(why);
        }
        assertThat(r.exitCode()).as("scripts/ensure-promtool.sh: " + r.output()).isZero();
        String[] lines = r.output().trim().split("\n");
        return new Promtool(Path.of(lines[lines.length - 1].trim()));
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("scripts/ensure-promtool.sh"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a parent folder of the module with scripts/ensure-promtool.sh").isNotNull();
        return dir;
    }

    Result run(List<String> args, Path stdin) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        return run(command, stdin, 60);
    }

    private static Result run(List<String> command, Path stdin, int timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                : ProcessBuilder.Redirect.from(stdin.toFile()));
        Path out = Files.createTempFile("promtool", ".out");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + " did not finish within " + timeoutSeconds + " s");
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        return new Result(p.exitValue(), output);
    }
}
