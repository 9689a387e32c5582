package dev.tandem.ha.api.apps;

import java.util.Objects;

/**
 * A parameter of an effector.
 *
 * @param type         what values are accepted: {@link ParameterType}
 * @param defaultValue used when the caller gives none; null means the parameter is required unless
 *                     {@code required} is false
 */
public record ParameterDefinition(String name, ParameterType type, String description, Object defaultValue,
        boolean required) {
    public ParameterDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
    }
}
