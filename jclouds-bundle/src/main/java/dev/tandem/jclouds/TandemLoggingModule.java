package dev.tandem.jclouds;

import org.jclouds.logging.Logger;
import org.jclouds.logging.config.LoggingModule;
import org.jclouds.logging.slf4j.SLF4JLogger;

/**
 * jclouds logging through SLF4J, except that the HTTP layer's errors about single requests ("Cannot retry
 * after server error ...") go to DEBUG: the caller retries, and reports a failure that lasts once, in its
 * own words (with credentials redacted), instead of an ERROR line per request during an outage.
 */
final class TandemLoggingModule extends LoggingModule {
    private static final String HTTP = "org.jclouds.http.";

    @Override
    public Logger.LoggerFactory createLoggerFactory() {
        return category -> {
            org.slf4j.Logger slf4j = org.slf4j.LoggerFactory.getLogger(category);
            return category.startsWith(HTTP) ? new RequestLevelLogger(category, slf4j) : new SLF4JLogger(category, slf4j);
        };
    }

    private static final class RequestLevelLogger extends SLF4JLogger {
        RequestLevelLogger(String category, org.slf4j.Logger logger) {
            super(category, logger);
        }

        @Override
        public boolean isErrorEnabled() {
            return isDebugEnabled();
        }

        @Override
        protected void logError(String message) {
            logDebug(message);
        }

        @Override
        protected void logError(String message, Throwable e) {
            logDebug(message + ": " + e);
        }
    }
}
