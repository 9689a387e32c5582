package dev.tandem.ha.api;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/** Durations as Brooklyn writes them: {@code 500ms}, {@code 1s}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 1m 30s}. */
public final class Durations {
    public static final String ACCEPTED = "a duration such as 500ms, 1s, 30s, 2m, 1h or 1m 30s (units ms, s, m, h, d)";

    private static final Pattern PART = Pattern.compile(
            "(\\d+(?:\\.\\d+)?)\\s*(milliseconds?|millis|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|h|days?|d)(?![a-z])");

    private Durations() {}

    /** Parses a duration; a bare number is milliseconds, as in Brooklyn. */
    public static Duration parse(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidValueException(key, value, ACCEPTED);
        }
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.matches("\\d+")) {
            return Duration.ofMillis(Long.parseLong(text));
        }
        Matcher m = PART.matcher(text);
        long nanos = 0;
        int end = 0;
        while (m.find()) {
            if (!text.substring(end, m.start()).isBlank()) {
                throw new InvalidValueException(key, value, ACCEPTED);
            }
            double amount = Double.parseDouble(m.group(1));
            nanos += (long) (amount * unitNanos(m.group(2)));
            end = m.end();
        }
        if (end == 0 || !text.substring(end).isBlank()) {
            throw new InvalidValueException(key, value, ACCEPTED);
        }
        return Duration.ofNanos(nanos);
    }

    /** Formats a duration the way it is parsed, e.g. {@code 1500ms}, {@code 30s}, {@code 2m}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0 && ms > 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    private static double unitNanos(String unit) {
        switch (unit.charAt(0)) {
            case 'd': return 86_400e9;
            case 'h': return 3_600e9;
            case 's': return 1e9;
            case 'm':
                return unit.startsWith("mi") && !unit.startsWith("mil") || unit.equals("m") ? 60e9 : 1e6;
            default: throw new IllegalStateException(unit);
        }
    }
}
