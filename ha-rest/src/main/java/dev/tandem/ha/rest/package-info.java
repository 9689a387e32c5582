/**
 * Tandem's Brooklyn-compatible REST API at {@code /v1}: a CXF JAX-RS server on a private bus, served by a
 * {@link dev.tandem.ha.rest.RestServlet} that {@link dev.tandem.ha.rest.HaRestComponent} registers with the OSGi
 * HTTP Whiteboard. Private to this bundle: nothing here is exported.
 *
 * <pre>
 * request ─▶ RestServlet (/v1/*) ─▶ BasicAuthFilter (401) ─▶ RoleFilter (403) ─▶ MasterOnlyFilter (403)
 *         ─▶ ServerResource ─▶ HighAvailabilityService            errors ─▶ ExceptionMappers ─▶ ApiError JSON
 * </pre>
 */
package dev.tandem.ha.rest;
