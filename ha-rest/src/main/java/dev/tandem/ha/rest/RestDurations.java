package dev.tandem.ha.rest;

import java.time.Duration;

import dev.tandem.ha.api.Durations;
import dev.tandem.ha.api.InvalidValueException;

/** Bounded durations for REST fields and this bundle's configuration: {@link Durations}, with a maximum. */
final class RestDurations {

    private RestDurations() {}

    /**
     * @param max the longest accepted duration
     * @throws InvalidValueException naming {@code field} for a malformed, negative or too long value
     */
    static Duration parse(String field, String text, Duration max) {
        return Durations.parse(field, text, max);
    }

    static String format(Duration d) {
        return Durations.format(d);
    }
}
