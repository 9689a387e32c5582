package dev.tandem.ha.api.apps;

import java.util.Objects;

/**
 * An effector invocation as seen when {@link ManagedApplications#invoke} returned.
 *
 * @param id     the task's id (Brooklyn's {@code /v1/activities/{id}})
 * @param status {@code In progress}, {@code Completed}, {@code Failed} or {@code Interrupted}
 * @param done   whether it had ended
 * @param error  whether it ended in error ({@code Failed} or {@code Interrupted})
 * @param result the effector's result (JSON-compatible) once ended, or the error message if it failed
 * @since 1.1
 */
public record TaskView(String id, String status, boolean done, boolean error, Object result) {
    public TaskView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
    }
}
