package dev.tandem.ha.api;

/** What a node does with the managed state in the store at start (Brooklyn's {@code PersistMode}). */
public enum PersistMode {
    /** Reads and writes nothing. */
    DISABLED,
    /** Rebinds to existing state, or starts fresh if there is none. */
    AUTO,
    /** Rebinds to existing state; fails clearly if there is none. */
    REBIND,
    /** Starts fresh; refused while a live plane uses the store. */
    CLEAN;

    public static PersistMode parse(String field, String value) {
        return Enums.parse(PersistMode.class, field, value);
    }

    public static String acceptedValues() {
        return Enums.accepted(PersistMode.class);
    }
}
