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

    /**
     * Parses a duration from 0 to {@code max}; anything else is refused naming {@code key} and the range.
     * REST fields and shell arguments use this, so both refuse a value with the same message.
     */
    public static Duration parse(String key, String value, Duration max) {
        String accepted = "a duration from 0 to " + format(max) + " such as 500ms, 30s, 2m or 1h";
        Duration d;
        try {
            d = parse(key, value);
        } catch (InvalidValueException e) {
            throw new InvalidValueException(key, value, accepted);
        }
        if (d.isNegative() || d.compareTo(max) > 0) {
            throw new InvalidValueException(key, value, accepted);
        }
        return d;
    }

    /** Formats a duration the way it is parsed, e.g. {@code 1500ms}, {@code 30s}, {@code 2m}, {@code 1d}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
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
