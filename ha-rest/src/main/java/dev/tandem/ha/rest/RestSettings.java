package dev.tandem.ha.rest;

import java.time.Duration;
import java.util.Objects;

/**
 * How the REST API behaves, from PID {@code dev.tandem.ha.rest}.
 *
 * @param access                  who may read and change (JAAS realm, roles)
 * @param redirectNonMasterWrites answer a change sent to a node that is not the master with 307 and the master's
 *                                URI instead of 403 (when the master and its URI are known)
 * @param anonymousHealth         serve {@code GET /v1/server/ha/health} without credentials (for load balancers
 *                                that cannot send any); it tells only this node's role
 * @param authCacheTtl            how long a successful JAAS login is reused for the same user and password; zero
 *                                logs every request in
 * @param planeCacheTtl           how long a view of the plane read from the store is reused by reads; zero reads the
 *                                store on every request
 */
public record RestSettings(AccessPolicy access, boolean redirectNonMasterWrites, boolean anonymousHealth,
        Duration authCacheTtl, Duration planeCacheTtl) {

    public static final String REDIRECT_KEY = "redirectNonMasterWrites";
    public static final String ANONYMOUS_HEALTH_KEY = "anonymousHealth";
    public static final String AUTH_CACHE_KEY = "authCacheTtl";
    public static final String PLANE_CACHE_KEY = "planeCacheTtl";

    static final Duration MAX_CACHE_TTL = Duration.ofMinutes(5);

    /** Karaf's roles, no redirect, health needs credentials, logins reused for 5 s, plane views for 500 ms. */
    public static final RestSettings DEFAULTS = new RestSettings(AccessPolicy.KARAF_DEFAULT, false, false,
            Duration.ofSeconds(5), Duration.ofMillis(500));

    public RestSettings {
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(authCacheTtl, AUTH_CACHE_KEY);
        Objects.requireNonNull(planeCacheTtl, PLANE_CACHE_KEY);
    }

    /** From configuration text; a bad value throws an {@code InvalidValueException} naming its key. */
    static RestSettings of(AccessPolicy access, boolean redirect, boolean anonymousHealth, String authCacheTtl,
            String planeCacheTtl) {
        return new RestSettings(access, redirect, anonymousHealth,
                RestDurations.parse(AUTH_CACHE_KEY, authCacheTtl, MAX_CACHE_TTL),
                RestDurations.parse(PLANE_CACHE_KEY, planeCacheTtl, MAX_CACHE_TTL));
    }

    public RestSettings withRedirect(boolean redirect) {
        return new RestSettings(access, redirect, anonymousHealth, authCacheTtl, planeCacheTtl);
    }

    public RestSettings withAnonymousHealth(boolean anonymous) {
        return new RestSettings(access, redirectNonMasterWrites, anonymous, authCacheTtl, planeCacheTtl);
    }

    public RestSettings withCaches(Duration auth, Duration plane) {
        return new RestSettings(access, redirectNonMasterWrites, anonymousHealth, auth, plane);
    }
}
