package dev.tandem.ha.rest;

/**
 * A request needs the node's HA service and there is none: the node is starting (the service has not been
 * registered yet) or its service has stopped. Answered 503 with {@code Retry-After}.
 */
final class HaServiceAbsentException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    static final String STARTING = "The node is starting";
    static final String STOPPED = "The node's HA service has stopped";

    private final boolean starting;

    HaServiceAbsentException(boolean starting) {
        super(starting ? STARTING + ": its HA service is not running yet; try again in a moment"
                : STOPPED + ": the node has left the plane (Karaf is stopping, or Tandem is being updated)");
        this.starting = starting;
    }

    /** True before the HA service first appeared; false after it went away. */
    boolean starting() {
        return starting;
    }
}
