package dev.tandem.ha.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;

import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.core.MultivaluedMap;

import org.apache.cxf.jaxrs.impl.MetadataMap;
import org.junit.jupiter.api.Test;

class ResponseDateTest {

    /** A clock the test moves. */
    private static final class StepClock extends Clock {
        final AtomicLong millis = new AtomicLong();

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private static ContainerResponseContext responseWith(MultivaluedMap<String, Object> headers) {
        return (ContainerResponseContext) Proxy.newProxyInstance(ResponseDateTest.class.getClassLoader(),
                new Class<?>[] {ContainerResponseContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getHeaders")) {
                        return headers;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void anHttpDateInTheImfFixdateForm() {
        StepClock clock = new StepClock();
        clock.millis.set(Instant.parse("1994-11-06T08:49:37.900Z").toEpochMilli());
        assertThat(new ResponseDate(clock).now()).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    }

    @Test
    void formattedOnceASecond() {
        StepClock clock = new StepClock();
        clock.millis.set(Instant.parse("2026-12-01T00:00:05.000Z").toEpochMilli());
        ResponseDate date = new ResponseDate(clock);
        String first = date.now();
        clock.millis.addAndGet(999);
        assertThat(date.now()).isSameAs(first);
        clock.millis.addAndGet(1);
        assertThat(date.now()).isEqualTo("Tue, 01 Dec 2026 00:00:06 GMT");
    }

    @Test
    void setsTheHeaderUnlessTheAnswerHasOne() {
        StepClock clock = new StepClock();
        ResponseDate date = new ResponseDate(clock);
        MultivaluedMap<String, Object> headers = new MetadataMap<>();
        date.filter(null, responseWith(headers));
        assertThat(headers.get("Date")).containsExactly("Thu, 01 Jan 1970 00:00:00 GMT");

        MultivaluedMap<String, Object> own = new MetadataMap<>();
        own.putSingle("Date", "Mon, 30 Nov 2026 12:00:00 GMT");
        date.filter(null, responseWith(own));
        assertThat(own.get("Date")).containsExactly("Mon, 30 Nov 2026 12:00:00 GMT");
    }
}
