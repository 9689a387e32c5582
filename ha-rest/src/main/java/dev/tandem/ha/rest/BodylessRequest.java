package dev.tandem.ha.rest;

import javax.servlet.ServletRequest;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletRequestWrapper;

/**
 * A GET or HEAD over HTTP/1.x with neither {@code Content-Length} nor {@code Transfer-Encoding}, which by HTTP/1.1
 * (RFC 9112, section 6.3) has a body of length zero, as that: the servlet container reports its length as unknown
 * (-1), and CXF then copies the empty body into a cache before every answer (about 7 % of the CPU time of a GET). Any
 * other request (a body, another method, HTTP/2, where a body needs no such header) is passed on unchanged.
 */
final class BodylessRequest extends HttpServletRequestWrapper {

    private BodylessRequest(HttpServletRequest request) {
        super(request);
    }

    /** {@code request} itself, or a view of it whose body length is zero when it has no body by HTTP/1.1's rules. */
    static ServletRequest of(ServletRequest request) {
        if (request instanceof HttpServletRequest http
                && ("GET".equals(http.getMethod()) || "HEAD".equals(http.getMethod()))
                && http.getContentLengthLong() == -1
                && http.getHeader("Transfer-Encoding") == null && http.getProtocol() != null
                && http.getProtocol().startsWith("HTTP/1.")) {
            return new BodylessRequest(http);
        }
        return request;
    }

    @Override
    public int getContentLength() {
        return 0;
    }

    @Override
    public long getContentLengthLong() {
        return 0;
    }
}
