package dev.tandem.ha.apps.model;

import java.util.Objects;

/**
 * An effector invocation (a deployment's start is one too), as Brooklyn's TaskSummary describes it.
 *
 * @param status     {@link #IN_PROGRESS}, {@link #COMPLETED}, {@link #FAILED} or {@link #INTERRUPTED}
 * @param endTime    epoch millis, or null while it runs
 * @param result     the effector's result (JSON-compatible) or, if it failed, the error message
 */
public record TaskRecord(String id, String displayName, String entityId, String entityName, String effector,
        long submitTime, Long endTime, String status, Object result) {

    public static final String IN_PROGRESS = "In progress";
    public static final String COMPLETED = "Completed";
    public static final String FAILED = "Failed";
    /** The master that ran it stopped before it ended; it is never run again. */
    public static final String INTERRUPTED = "Interrupted";

    public TaskRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
    }

    public boolean done() {
        return endTime != null;
    }

    public boolean isError() {
        return FAILED.equals(status) || INTERRUPTED.equals(status);
    }

    TaskRecord ended(long at, String endStatus, Object endResult) {
        return new TaskRecord(id, displayName, entityId, entityName, effector, submitTime, at, endStatus, endResult);
    }
}
