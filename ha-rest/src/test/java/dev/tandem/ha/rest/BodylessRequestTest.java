package dev.tandem.ha.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Map;

import javax.servlet.ServletRequest;
import javax.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;

class BodylessRequestTest {

    private static HttpServletRequest request(String method, String protocol, long length, Map<String, String> headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(BodylessRequestTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getProtocol" -> protocol;
                    case "getContentLengthLong" -> length;
                    case "getContentLength" -> (int) length;
                    case "getHeader" -> headers.get((String) args[0]);
                    case "getRequestURI" -> "/v1/server/ha/state";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void aGetWithoutBodyHeadersHasABodyOfLengthZero() {
        for (String method : new String[] {"GET", "HEAD"}) {
            ServletRequest r = BodylessRequest.of(request(method, "HTTP/1.1", -1, Map.of()));
            assertThat(r).isInstanceOf(BodylessRequest.class);
            assertThat(r.getContentLengthLong()).isZero();
            assertThat(r.getContentLength()).isZero();
            assertThat(((HttpServletRequest) r).getRequestURI()).isEqualTo("/v1/server/ha/state");
        }
        assertThat(BodylessRequest.of(request("GET", "HTTP/1.0", -1, Map.of()))).isInstanceOf(BodylessRequest.class);
    }

    @Test
    void everyOtherRequestIsPassedOnUnchanged() {
        for (HttpServletRequest r : new HttpServletRequest[] {
            request("GET", "HTTP/1.1", 12, Map.of()),
            request("GET", "HTTP/1.1", -1, Map.of("Transfer-Encoding", "chunked")),
            request("POST", "HTTP/1.1", -1, Map.of()),
            request("PUT", "HTTP/1.1", -1, Map.of()),
            request("GET", "HTTP/2.0", -1, Map.of()),
        }) {
            assertThat(BodylessRequest.of(r)).isSameAs(r);
        }
    }
}
