package dev.tandem.ha.apps;

import java.util.List;
import java.util.Map;

import dev.tandem.ha.api.apps.EffectorDefinition;
import dev.tandem.ha.api.apps.EntityContext;
import dev.tandem.ha.api.apps.EntityType;
import dev.tandem.ha.api.apps.ParameterDefinition;
import dev.tandem.ha.api.apps.ParameterType;

/** A test entity type whose effector has parameters: {@code greet(who: String, required; times: Integer = 1)}. */
final class GreeterType implements EntityType {
    static final String TYPE = "test.Greeter";

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public List<EffectorDefinition> effectors() {
        return List.of(new EffectorDefinition("greet", "Say hello", "java.lang.String", List.of(
                new ParameterDefinition("who", ParameterType.STRING, "whom to greet", null, true),
                new ParameterDefinition("times", ParameterType.INTEGER, "how many times", 1, false))));
    }

    @Override
    public Object invoke(String effector, Map<String, Object> parameters, EntityContext entity) {
        String greeting = ("hello " + parameters.get("who") + " ").repeat((Integer) parameters.get("times")).trim();
        entity.setSensor("greeted", parameters.get("who"));
        return greeting;
    }
}
