package dev.tandem.ha.api.apps;

import java.util.List;
import java.util.Objects;

/**
 * An effector: a named operation of an entity type, with typed parameters and a result type.
 *
 * @param returnType a type name as Brooklyn shows it ({@code void}, {@code java.lang.String}, ...)
 */
public record EffectorDefinition(String name, String description, String returnType, List<ParameterDefinition> parameters) {
    public EffectorDefinition {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        returnType = returnType == null ? "void" : returnType;
        parameters = List.copyOf(parameters == null ? List.of() : parameters);
    }

    public static EffectorDefinition of(String name, String description) {
        return new EffectorDefinition(name, description, "void", List.of());
    }
}
