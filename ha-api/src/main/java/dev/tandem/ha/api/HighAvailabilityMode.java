package dev.tandem.ha.api;

/** The HA mode an operator asks a node to run in (Brooklyn's {@code HighAvailabilityMode}). */
public enum HighAvailabilityMode {
    /**
     * Runs alone as master of its own state: with a persisted store it claims the store like a master (its writes
     * are fenced) and refuses a store whose plane has a live master.
     */
    DISABLED,
    /** Becomes MASTER if no healthy master exists (by election), else HOT_STANDBY. */
    AUTO,
    /** Becomes MASTER, taking over from an existing master when changed to at run time. */
    MASTER,
    /** Electable standby that holds no copy of the managed state. */
    STANDBY,
    /** Electable standby with a live read-only copy of the managed state. */
    HOT_STANDBY,
    /** Read-only copy of the managed state; never elected. */
    HOT_BACKUP;

    /** Parses a mode in any case, or throws an {@link InvalidValueException} naming {@code field}. */
    public static HighAvailabilityMode parse(String field, String value) {
        return Enums.parse(HighAvailabilityMode.class, field, value);
    }

    public static String acceptedValues() {
        return Enums.accepted(HighAvailabilityMode.class);
    }
}
