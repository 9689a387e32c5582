package dev.tandem.ha.core;

import java.util.List;
import java.util.stream.Collectors;

import dev.tandem.ha.api.InvalidValueException;

/** A configuration with one or more bad values; the message lists each key, value and what is accepted. */
public class InvalidSettingsException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<InvalidValueException> problems;

    public InvalidSettingsException(List<InvalidValueException> problems) {
        super(problems.stream().map(Throwable::getMessage).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<InvalidValueException> problems() {
        return problems;
    }
}
