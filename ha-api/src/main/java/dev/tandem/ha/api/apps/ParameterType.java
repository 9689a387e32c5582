package dev.tandem.ha.api.apps;

import java.util.List;
import java.util.Map;

/** The types an effector parameter may have, with the Java type name Brooklyn shows for each. */
public enum ParameterType {
    STRING("java.lang.String"),
    INTEGER("java.lang.Integer"),
    LONG("java.lang.Long"),
    DOUBLE("java.lang.Double"),
    BOOLEAN("java.lang.Boolean"),
    LIST("java.util.List"),
    MAP("java.util.Map");

    private final String javaName;

    ParameterType(String javaName) {
        this.javaName = javaName;
    }

    public String javaName() {
        return javaName;
    }

    /**
     * Converts a caller's value (from JSON or a form) to this type.
     *
     * @throws IllegalArgumentException naming the value and the type if it does not convert
     */
    public Object coerce(String parameter, Object value) {
        if (value == null) {
            return null;
        }
        try {
            return switch (this) {
                case STRING -> value instanceof String s ? s : String.valueOf(value);
                case INTEGER -> value instanceof Number n ? Integer.valueOf(Math.toIntExact(n.longValue()))
                        : Integer.valueOf(value.toString().trim());
                case LONG -> value instanceof Number n ? Long.valueOf(n.longValue()) : Long.valueOf(value.toString().trim());
                case DOUBLE -> value instanceof Number n ? Double.valueOf(n.doubleValue()) : Double.valueOf(value.toString().trim());
                case BOOLEAN -> value instanceof Boolean b ? b : parseBoolean(value.toString());
                case LIST -> {
                    if (value instanceof List<?> l) {
                        yield l;
                    }
                    throw new IllegalArgumentException();
                }
                case MAP -> {
                    if (value instanceof Map<?, ?> m) {
                        yield m;
                    }
                    throw new IllegalArgumentException();
                }
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("parameter '" + parameter + "': '" + value + "' is not a " + javaName, e);
        }
    }

    private static Boolean parseBoolean(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("true") || t.equals("false")) {
            return Boolean.valueOf(t);
        }
        throw new IllegalArgumentException();
    }
}
