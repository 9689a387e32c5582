package dev.tandem.ha.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The web console at {@code /}: three static files (page, script, style sheet) served from this bundle, with no
 * external assets. The files hold no data: the script signs in with HTTP Basic credentials that the user types (kept
 * in the tab's {@code sessionStorage}) and reads {@code /v1/server/ha/states} with them every few seconds, so every
 * byte about the plane passes the same JAAS authentication and role checks as any REST client. No session, no cookie.
 */
public final class ConsoleServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Mounted as the default servlet of the root context: it answers every path that no other servlet takes. */
    public static final String SERVLET_PATTERN = "/";

    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private record Asset(String contentType, byte[] bytes) {}

    private final transient Map<String, Asset> assets;

    public ConsoleServlet() {
        Asset page = load("index.html", "text/html; charset=utf-8");
        this.assets = Map.of(
                "/", page,
                "/index.html", page,
                "/console.js", load("console.js", "text/javascript; charset=utf-8"),
                "/console.css", load("console.css", "text/css; charset=utf-8"));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        Asset asset = assets.get(path.isEmpty() ? "/" : path);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        if (asset == null) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            response.setContentType("text/plain; charset=utf-8");
            response.getWriter().write("Not found. The console is at /, the REST API at /v1/.\n");
            return;
        }
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Cache-Control", "no-cache");
        response.setContentType(asset.contentType());
        response.setContentLength(asset.bytes().length);
        response.getOutputStream().write(asset.bytes());
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = ConsoleServlet.class.getResourceAsStream("console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console/" + name + " is missing from the bundle");
            }
            return new Asset(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
