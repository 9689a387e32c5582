package dev.tandem.ha.core;

import org.slf4j.Logger;

/** Logs a repeated failure once at WARN, then at DEBUG until it stops, then once at INFO that it has. */
final class RepeatedFailureLog {
    private final Logger log;
    private String current;

    RepeatedFailureLog(Logger log) {
        this.log = log;
    }

    void failed(String what, Exception e) {
        String message = what + ": " + e.getMessage();
        if (current == null) {
            log.warn("{} (repeats are logged at DEBUG until it recovers)", message);
        } else {
            log.debug("{}", message, e);
        }
        current = message;
    }

    void recovered(String what) {
        if (current != null) {
            log.info("{} works again (after: {})", what, current);
            current = null;
        }
    }

    boolean failing() {
        return current != null;
    }
}
