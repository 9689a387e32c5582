package dev.tandem.ha.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Case-insensitive parsing of the API's enums with an error that lists the accepted names. */
final class Enums {
    private Enums() {}

    static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        if (value != null) {
            String wanted = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(wanted)) {
                    return e;
                }
            }
        }
        throw new InvalidValueException(field, value, accepted(type));
    }

    static <E extends Enum<E>> String accepted(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", ")) + " (any case)";
    }
}
