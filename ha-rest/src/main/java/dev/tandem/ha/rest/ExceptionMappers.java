package dev.tandem.ha.rest;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.Response.Status;
import javax.ws.rs.ext.ExceptionMapper;

import org.apache.cxf.jaxrs.utils.JAXRSUtils;
import org.apache.cxf.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.InvalidValueException;

/**
 * Turns every exception into an {@link ApiError} answer: nothing reaches the client as a bare status, an HTML page
 * or a stack trace. CXF picks the mapper whose type is nearest to the thrown exception's.
 */
final class ExceptionMappers {

    private static final Logger LOG = LoggerFactory.getLogger(ExceptionMappers.class);

    private ExceptionMappers() {}

    static List<Object> all() {
        return List.of(new InvalidValue(), new BadArgument(), new NoHaService(), new NotNow(), new Http(), new Unexpected());
    }

    /**
     * A value the client sent is not accepted: 400 naming the field, the value and what is accepted. The message is
     * the exception's own, word for word what the shell commands print.
     */
    static final class InvalidValue implements ExceptionMapper<InvalidValueException> {
        @Override
        public Response toResponse(InvalidValueException e) {
            return ApiError.response(Status.BAD_REQUEST, e.getMessage(), "accepted: " + e.accepted());
        }
    }

    /** Any other argument the HA service refuses: 400 with its reason. */
    static final class BadArgument implements ExceptionMapper<IllegalArgumentException> {
        @Override
        public Response toResponse(IllegalArgumentException e) {
            return ApiError.response(Status.BAD_REQUEST, "Invalid request", e.getMessage());
        }
    }

    /**
     * The HA service cannot do this now (not running, a configuration error, HA disabled, the store unreadable, no
     * answer in time): 503 with its reason.
     */
    static final class NotNow implements ExceptionMapper<IllegalStateException> {
        @Override
        public Response toResponse(IllegalStateException e) {
            LOG.debug("Request refused by the HA service: {}", e.getMessage());
            return ApiError.response(Status.SERVICE_UNAVAILABLE, "The HA service cannot carry out this request now",
                    e.getMessage());
        }
    }

    /**
     * The node has no HA service now (it is starting, or its service has stopped): 503 saying which, with
     * {@code Retry-After} while it starts.
     */
    static final class NoHaService implements ExceptionMapper<HaServiceAbsentException> {
        /** Seconds a client may wait before asking again while the node starts. */
        static final int RETRY_AFTER_SECONDS = 1;

        @Override
        public Response toResponse(HaServiceAbsentException e) {
            String message = e.starting() ? HaServiceAbsentException.STARTING : HaServiceAbsentException.STOPPED;
            Response.ResponseBuilder answer = ApiError.builder(Status.SERVICE_UNAVAILABLE, message, e.getMessage());
            if (e.starting()) {
                answer.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            }
            return answer.build();
        }
    }

    /** JAX-RS's own answers (404, 405, 406, 415, ...), keeping their status and headers (e.g. {@code Allow}). */
    static final class Http implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Response original = e.getResponse();
            Response.StatusType status = original.getStatusInfo();
            Response.ResponseBuilder answer = ApiError.builder(status, status.getReasonPhrase(), describe(e));
            original.getStringHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Content-Type")) {
                    values.forEach(v -> answer.header(name, v));
                }
            });
            return answer.build();
        }

        private static String describe(WebApplicationException e) {
            Message m = JAXRSUtils.getCurrentMessage();
            if (m == null) {
                return e.getMessage();
            }
            return e.getMessage() + ": " + m.get(Message.HTTP_REQUEST_METHOD) + " " + m.get(Message.REQUEST_URI);
        }
    }

    /**
     * A bug or an unforeseen failure: 500 with a short message; the stack trace goes to the log only. A client that
     * closed its connection while the answer was being written is not one: that is logged at DEBUG, and the answer
     * has no body (nobody reads it, and writing one would only fail again).
     */
    static final class Unexpected implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            if (clientGone(e)) {
                LOG.debug("A REST client closed its connection before its answer was written: {}", e.toString());
                return Response.status(Status.INTERNAL_SERVER_ERROR).build();
            }
            String incident = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("Unexpected error answering a REST request (incident {})", incident, e);
            return ApiError.response(Status.INTERNAL_SERVER_ERROR, "Internal server error",
                    "see the server log for incident " + incident);
        }

        /** Whether the failure, or one of its causes, is the client's connection closing (Jetty's EofException, a reset). */
        static boolean clientGone(Throwable e) {
            int depth = 0; // a cause chain may loop (a.initCause(b), b.initCause(a)): look 16 deep at most
            for (Throwable t = e; t != null && depth++ < 16; t = t.getCause()) {
                if (t.getClass().getName().equals("org.eclipse.jetty.io.EofException")) {
                    return true;
                }
                String m = t.getMessage();
                if (t instanceof IOException && m != null && (m.contains("Broken pipe") || m.contains("Connection reset"))) {
                    return true;
                }
            }
            return false;
        }
    }
}
