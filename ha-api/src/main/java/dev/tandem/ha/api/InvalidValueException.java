package dev.tandem.ha.api;

import java.util.Objects;

/**
 * A value given by an operator (configuration key, REST field, shell argument) that is not accepted.
 * The message always names the field, the bad value and what is accepted.
 */
public class InvalidValueException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String value;
    private final String accepted;

    public InvalidValueException(String field, String value, String accepted) {
        super(field + "=" + (value == null ? "(missing)" : "'" + value + "'") + " is not valid; accepted: " + accepted);
        this.field = Objects.requireNonNull(field, "field");
        this.value = value;
        this.accepted = Objects.requireNonNull(accepted, "accepted");
    }

    public String field() { return field; }

    public String value() { return value; }

    public String accepted() { return accepted; }
}
