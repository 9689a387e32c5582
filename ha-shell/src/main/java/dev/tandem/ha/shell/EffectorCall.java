package dev.tandem.ha.shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;

import dev.tandem.ha.api.apps.EffectorDefinition;
import dev.tandem.ha.api.apps.EntityView;
import dev.tandem.ha.api.apps.ParameterDefinition;

/**
 * Resolves {@code ha:invoke}'s arguments before anything is run: the entity (by id or name, in the application), the
 * effector, and the {@code name=value} parameters, each refused with a message that names the bad value and what
 * exists or is accepted.
 */
final class EffectorCall {

    private EffectorCall() {}

    static EntityView entity(List<EntityView> entities, String application, String idOrName) {
        return entities.stream().filter(e -> e.id().equals(idOrName)).findFirst()
                .or(() -> entities.stream().filter(e -> idOrName.equals(e.name())).findFirst())
                .orElseThrow(() -> new NoSuchElementException("No entity '" + idOrName + "' in application '"
                        + application + "'; entities: " + AppsText.names(entities)));
    }

    static EffectorDefinition effector(List<EffectorDefinition> effectors, EntityView entity, String name) {
        return effectors.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("Entity '" + entity.name() + "' (" + entity.typeId()
                        + ") has no effector '" + name + "'; effectors: " + (effectors.isEmpty() ? "none"
                        : effectors.stream().map(EffectorDefinition::name).collect(Collectors.joining(", ")))));
    }

    /** {@code name=value} arguments, converted to the parameters' types; defaults are left to the effector's caller. */
    static Map<String, Object> parameters(EffectorDefinition effector, List<String> arguments) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String argument : arguments) {
            int eq = argument.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Parameter '" + argument + "' is not name=value; parameters of "
                        + effector.name() + ": " + describe(effector));
            }
            String name = argument.substring(0, eq).trim();
            String value = argument.substring(eq + 1);
            ParameterDefinition p = effector.parameters().stream().filter(d -> d.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("Effector '" + effector.name() + "' has no parameter '"
                            + name + "'; parameters: " + describe(effector)));
            if (out.containsKey(name)) {
                throw new IllegalArgumentException("Parameter '" + name + "' is given twice");
            }
            out.put(name, p.type().coerce(name, value));
        }
        return out;
    }

    /** {@code who (java.lang.String, required), times (java.lang.Integer, default 1)}, or {@code none}. */
    static String describe(EffectorDefinition effector) {
        if (effector.parameters().isEmpty()) {
            return "none";
        }
        return effector.parameters().stream().map(p -> p.name() + " (" + p.type().javaName()
                + (p.required() && p.defaultValue() == null ? ", required" : "")
                + (p.defaultValue() != null ? ", default " + p.defaultValue() : "") + ")")
                .collect(Collectors.joining(", "));
    }
}
