package dev.tandem.ha.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import javax.ws.rs.core.Response;

import org.eclipse.jetty.io.EofException;
import org.junit.jupiter.api.Test;

class ExceptionMappersTest {
    private final ExceptionMappers.Unexpected unexpected = new ExceptionMappers.Unexpected();

    @Test
    void aBugIsA500WithAnIncidentToLookUpInTheLog() {
        Response r = unexpected.toResponse(new IllegalStateException("a bug"));
        assertThat(r.getStatus()).isEqualTo(500);
        assertThat(r.getEntity()).isInstanceOf(ApiError.class);
        assertThat(((ApiError) r.getEntity()).details()).startsWith("see the server log for incident ");
    }

    @Test
    void aClientThatClosedItsConnectionIsNoIncidentAndGetsNoBodyWrittenAgain() {
        for (Throwable gone : new Throwable[] {new EofException(), new RuntimeException(new EofException("reset")),
                new IOException("Broken pipe"), new RuntimeException(new IOException("Connection reset by peer"))}) {
            Response r = unexpected.toResponse(gone);
            assertThat(r.getStatus()).as("%s", gone).isEqualTo(500);
            assertThat(r.hasEntity()).as("%s", gone).isFalse();
        }
        assertThat(ExceptionMappers.Unexpected.clientGone(new IOException("disk full"))).isFalse();
        IllegalStateException a = new IllegalStateException("a");
        IllegalStateException b = new IllegalStateException("b", a);
        a.initCause(b); // a loop of causes ends the walk, it does not hang the request thread
        assertThat(ExceptionMappers.Unexpected.clientGone(a)).isFalse();
    }
}
