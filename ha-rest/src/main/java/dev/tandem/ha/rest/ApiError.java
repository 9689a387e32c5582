package dev.tandem.ha.rest;

import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.Response.ResponseBuilder;
import javax.ws.rs.core.Response.StatusType;

/**
 * The body of every error answer, as Brooklyn's {@code ApiError} writes it: {@code {"message", "details", "error"}}.
 *
 * @param message what went wrong, for a person
 * @param details what to do about it, or more about the cause; never a stack trace
 * @param error   the HTTP status code
 */
public record ApiError(String message, String details, int error) {

    public ApiError {
        message = message == null ? "" : message;
        details = details == null ? "" : details;
    }

    /** A JSON response with this error as its body; add headers to the builder if needed. */
    static ResponseBuilder builder(StatusType status, String message, String details) {
        return Response.status(status.getStatusCode())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(message, details, status.getStatusCode()));
    }

    static Response response(StatusType status, String message, String details) {
        return builder(status, message, details).build();
    }
}
