package dev.tandem.ha.rest;

import java.time.Duration;

import dev.tandem.ha.api.InvalidValueException;

/**
 * The form fields of Brooklyn's {@code POST /v1/server/shutdown}, with Brooklyn's names and defaults. A bad value is
 * refused naming the field and what it accepts.
 *
 * @param stopAppsFirst        stop the applications before shutting down (only on the MASTER); default false
 * @param forceShutdownOnError shut down even if applications fail to stop in time; default false
 * @param shutdownTimeout      how long applications may take to stop (0 = no limit); default 20s
 * @param requestTimeout       how long the request may wait for them (0 = no limit); default 20s
 * @param delayForHttpReturn   how long after the answer the server stops, so that the answer gets out; default 5s
 *                             (Brooklyn's deprecated {@code delayMillis}, in milliseconds, wins if given)
 */
record ShutdownRequest(boolean stopAppsFirst, boolean forceShutdownOnError, Duration shutdownTimeout,
        Duration requestTimeout, Duration delayForHttpReturn) {

    static final String STOP_APPS_FIRST = "stopAppsFirst";
    static final String FORCE_SHUTDOWN_ON_ERROR = "forceShutdownOnError";
    static final String SHUTDOWN_TIMEOUT = "shutdownTimeout";
    static final String REQUEST_TIMEOUT = "requestTimeout";
    static final String DELAY_FOR_HTTP_RETURN = "delayForHttpReturn";
    static final String DELAY_MILLIS = "delayMillis";

    /** Brooklyn's message when {@code stopAppsFirst} is asked of a node that is not the master. */
    static final String NOT_MASTER_MESSAGE = "Not allowed to stop all apps when server is not master";

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    static final Duration DEFAULT_DELAY = Duration.ofSeconds(5);
    static final Duration MAX = Duration.ofHours(1);

    static ShutdownRequest parse(String stopAppsFirst, String forceShutdownOnError, String shutdownTimeout,
            String requestTimeout, String delayForHttpReturn, String delayMillis) {
        Duration delay;
        if (delayMillis != null && !delayMillis.isBlank()) {
            delay = millis(DELAY_MILLIS, delayMillis);
        } else {
            delay = duration(DELAY_FOR_HTTP_RETURN, delayForHttpReturn, DEFAULT_DELAY);
        }
        return new ShutdownRequest(bool(STOP_APPS_FIRST, stopAppsFirst), bool(FORCE_SHUTDOWN_ON_ERROR, forceShutdownOnError),
                duration(SHUTDOWN_TIMEOUT, shutdownTimeout, DEFAULT_TIMEOUT),
                duration(REQUEST_TIMEOUT, requestTimeout, DEFAULT_TIMEOUT), delay);
    }

    private static boolean bool(String field, String value) {
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("false")) {
            return false;
        }
        if (value.trim().equalsIgnoreCase("true")) {
            return true;
        }
        throw new InvalidValueException(field, value, "true or false");
    }

    private static Duration duration(String field, String value, Duration dflt) {
        return value == null || value.isBlank() ? dflt : RestDurations.parse(field, value, MAX);
    }

    private static Duration millis(String field, String value) {
        try {
            long ms = Long.parseLong(value.trim());
            if (ms >= 0 && ms <= MAX.toMillis()) {
                return Duration.ofMillis(ms);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidValueException(field, value, "a number of milliseconds from 0 to " + MAX.toMillis());
    }
}
