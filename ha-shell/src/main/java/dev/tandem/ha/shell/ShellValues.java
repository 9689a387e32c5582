package dev.tandem.ha.shell;

import java.time.Duration;

import dev.tandem.ha.api.Durations;
import dev.tandem.ha.api.InvalidValueException;

/**
 * Parses command arguments exactly as the REST API parses its fields, so that a refused value gives the same
 * {@link InvalidValueException} message in both (the texts are kept identical to ha-rest's).
 */
final class ShellValues {

    static final String INTEGER = "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
    static final Duration MAX_HOLD = Duration.ofDays(1);

    private ShellValues() {}

    static int parseInt(String field, String value) {
        if (value != null) {
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                // answered below, naming the field and what is accepted
            }
        }
        throw new InvalidValueException(field, value, INTEGER);
    }

    /** A Brooklyn-style duration ({@code 500ms}, {@code 30s}, {@code 1m 30s}; a bare number is ms), 0 to 1d. */
    static Duration parseHold(String field, String text) {
        return Durations.parse(field, text, MAX_HOLD);
    }

    /** A Brooklyn-style duration from 0 to {@code max}, as {@link #parseHold} parses one. */
    static Duration parseDuration(String field, String text, Duration max) {
        return Durations.parse(field, text, max);
    }

    static String format(Duration d) {
        return Durations.format(d);
    }
}
