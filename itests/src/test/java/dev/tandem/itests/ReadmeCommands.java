package dev.tandem.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell lines of a README section marked {@code <!-- NAME:begin -->} ... {@code <!-- NAME:end -->}: every
 * non-blank line inside its code fences, as written. A trailing {@code # => TEXT} is what the line must print.
 */
final class ReadmeCommands {

    /** One line of the README, and the output it promises (null if none). */
    record Command(String line, String expected) {
        boolean changesSomething() {
            return line.contains("-X POST") || line.contains(" -d ");
        }
    }

    private static final Pattern EXPECTED = Pattern.compile("#\\s*=>\\s*(.*)$");

    private ReadmeCommands() {}

    static Path readme() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no README.md above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("README.md");
    }

    static List<Command> section(String name) throws IOException {
        List<String> lines = Files.readAllLines(readme(), StandardCharsets.UTF_8);
        int begin = lines.indexOf("<!-- " + name + ":begin -->");
        int end = lines.indexOf("<!-- " + name + ":end -->");
        if (begin < 0 || end < begin) {
            throw new IllegalStateException("README.md has no section marked <!-- " + name + ":begin/end -->");
        }
        List<Command> commands = new ArrayList<>();
        boolean inFence = false;
        for (String l : lines.subList(begin + 1, end)) {
            if (l.startsWith("```")) {
                inFence = !inFence;
            } else if (inFence && !l.isBlank() && !l.trim().startsWith("#")) {
                Matcher m = EXPECTED.matcher(l);
                commands.add(new Command(l, m.find() ? m.group(1).trim() : null));
            }
        }
        return commands;
    }
}
