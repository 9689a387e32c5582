package dev.tandem.ha.persistence.jclouds;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jclouds.blobstore.BlobStoreContext;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.InvalidValueException;
import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.PlaneStoreFactory;
import dev.tandem.jclouds.BlobProviders;

/**
 * Makes {@link BlobPlaneStore}s for {@code persistenceLocation}s the Brooklyn way:
 * <ul>
 * <li>a name defined in PID {@code brooklyn} as {@code brooklyn.location.named.NAME=PROVIDER[:REGION]} or
 *     {@code =jclouds:PROVIDER[:ENDPOINT]}, with {@code brooklyn.location.named.NAME.identity},
 *     {@code .credential}, {@code .endpoint} and {@code .jclouds.*} (jclouds properties, passed unchanged);</li>
 * <li>{@code jclouds:PROVIDER[:ENDPOINT_OR_REGION]} (or {@code PROVIDER:REGION} for a known provider), with
 *     {@code brooklyn.location.jclouds.PROVIDER.identity} / {@code .credential} / {@code .endpoint} /
 *     {@code .jclouds.*}, then {@code brooklyn.location.jclouds.identity} / {@code .credential}, as
 *     Brooklyn looks them up (a named location falls back on these too).</li>
 * </ul>
 * {@code persistenceDir} is {@code container[/prefix]} (default {@code brooklyn-persisted-state}, as in
 * Brooklyn). Timing follows {@code brooklyn.ha.pollPeriod}: retries within half a poll period, request
 * timeouts of twice it (at least 2 s), and the timed claim's write bound {@code tandem.store.maxWriteLatency}
 * (default half a poll period). jclouds' own retries are off and it never resends a PUT; providers with
 * eventually consistent listings (OpenStack Swift) are refused. Nothing here is sent to the store: {@link PlaneStore#open} makes the first
 * request. Credentials never appear in a message or log.
 */
@Component(service = PlaneStoreFactory.class, immediate = true)
public class JcloudsStoreFactory implements PlaneStoreFactory {
    private static final Logger LOG = LoggerFactory.getLogger(JcloudsStoreFactory.class);

    static final String NAMED = "brooklyn.location.named.";
    static final String JCLOUDS_SCOPE = "brooklyn.location.jclouds.";
    static final String SPEC_PREFIX = "jclouds:";
    static final String DEFAULT_CONTAINER = "brooklyn-persisted-state";
    static final String MAX_WRITE_LATENCY = "tandem.store.maxWriteLatency";
    static final String POLL_PERIOD = "brooklyn.ha.pollPeriod";
    static final String CONTAINER_RULE = "container[/prefix]: a container of 3 to 63 characters a-z, 0-9, '.' and '-', "
            + "starting and ending with a letter or digit, then optionally a prefix of segments of A-Z, a-z, 0-9, '.', '_', '-' "
            + "joined by '/'";
    private static final Pattern CONTAINER = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern DURATION = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?\\s*");
    private static final Set<String> NO_CREDENTIALS = Set.of("transient", "filesystem");
    /**
     * Providers whose container listings are eventually consistent: the timed claim, which they would need
     * (Tandem cannot send them a conditional write), is not safe on them.
     */
    static final Set<String> EVENTUALLY_CONSISTENT_LISTINGS = Set.of("openstack-swift", "swift",
            "rackspace-cloudfiles-us", "rackspace-cloudfiles-uk");
    /** HTTP methods jclouds may resend after an I/O failure: never PUT, whose outcome is then unknown. */
    static final String RESENDABLE_METHODS = "DELETE,GET,HEAD,OPTIONS";

    private final Set<BlobPlaneStore> created = ConcurrentHashMap.newKeySet();

    /** A location resolved to a provider and the keys its settings came from. */
    record Resolved(String provider, String endpoint, String region, String basedir, List<String> scopes,
            String locationKey) {}

    @Override
    public boolean accepts(String persistenceLocation, Map<String, ?> brooklynProperties) {
        String location = persistenceLocation == null ? "" : persistenceLocation.trim();
        if (location.isEmpty()) {
            return false;
        }
        if (location.startsWith(SPEC_PREFIX) || brooklynProperties.containsKey(NAMED + location)) {
            return true;
        }
        int colon = location.indexOf(':');
        String head = colon < 0 ? location : location.substring(0, colon);
        // a bare name that is not defined is ours too, so that the error names the missing key
        return colon < 0 ? NAME.matcher(location).matches() : BlobProviders.find(head).isPresent();
    }

    @Override
    public PlaneStore create(String persistenceLocation, String persistenceDir, Map<String, ?> props) {
        Resolved r = resolve(persistenceLocation.trim(), props);
        SortedMap<String, BlobProviders.Info> providers = BlobProviders.all();
        BlobProviders.Info info = providers.get(r.provider());
        if (info == null) {
            throw new InvalidValueException(r.locationKey(), r.provider(),
                    "a jclouds blob store provider or API installed here: " + String.join(", ", providers.keySet()));
        }
        if (EVENTUALLY_CONSISTENT_LISTINGS.contains(r.provider())) {
            java.util.List<String> accepted = new ArrayList<>(providers.keySet());
            accepted.removeAll(EVENTUALLY_CONSISTENT_LISTINGS);
            throw new InvalidValueException(r.locationKey(), persistenceLocation, "a provider whose listings are "
                    + "strongly consistent: " + r.provider() + " lists containers eventually consistently, and Tandem "
                    + "cannot send it conditional writes, so its claims would need the timed claim, which is not safe "
                    + "there; accepted: " + String.join(", ", accepted));
        }
        String[] dir = containerAndPrefix(persistenceDir);
        String identity = setting(props, r, "identity");
        String credential = setting(props, r, "credential");
        boolean needsCredentials = !NO_CREDENTIALS.contains(r.provider()) && (info.needsIdentity() || info.needsCredential());
        if (needsCredentials && (identity == null || identity.isEmpty())) {
            throw new InvalidValueException(r.scopes().get(0) + "identity", null,
                    "the " + (info.identityName().isEmpty() ? "identity" : info.identityName()) + " of the "
                            + r.provider() + " account (also read from " + String.join(", ",
                                    r.scopes().subList(1, r.scopes().size()).stream().map(s -> s + "identity").toList()) + ")");
        }
        if (needsCredentials && info.needsCredential() && (credential == null || credential.isEmpty())) {
            throw new InvalidValueException(r.scopes().get(0) + "credential", null,
                    "the " + (info.credentialName().isEmpty() ? "credential" : info.credentialName()) + " of the "
                            + r.provider() + " account (never logged)");
        }
        String endpoint = setting(props, r, "endpoint");
        if (endpoint == null || endpoint.isEmpty()) {
            endpoint = r.endpoint();
        }
        if (endpoint != null && !endpoint.isEmpty() && !endpoint.matches("(?i)https?://[^\\s]+")) {
            throw new InvalidValueException(r.scopes().get(0) + "endpoint", Redactor.of(identity, credential).redact(endpoint),
                    "an http:// or https:// URL");
        }
        Properties overrides = overrides(props, r);
        Duration poll = duration(props.get(POLL_PERIOD), Duration.ofSeconds(1));
        if (poll == null || poll.isZero()) {
            poll = Duration.ofSeconds(1); // ha-core validates the poll period itself
        }
        Duration halfPoll = poll.dividedBy(2);
        Duration defaultBound = halfPoll.compareTo(TimedClaim.MAX_BOUND) > 0 ? TimedClaim.MAX_BOUND : halfPoll;
        Duration maxWriteLatency = duration(props.get(MAX_WRITE_LATENCY), defaultBound);
        if (maxWriteLatency == null || maxWriteLatency.isZero() || maxWriteLatency.isNegative()
                || maxWriteLatency.compareTo(TimedClaim.MAX_BOUND) > 0) {
            throw new InvalidValueException(MAX_WRITE_LATENCY, String.valueOf(props.get(MAX_WRITE_LATENCY)),
                    "a positive duration of at most " + TimedClaim.MAX_BOUND.toMinutes() + " minutes, such as 500ms "
                    + "(the longest a store write may take; see docs/persistence.md)");
        }
        defaults(overrides, r, endpoint, poll);
        if ("filesystem".equals(r.provider())) {
            if (r.basedir() != null && !overrides.containsKey("jclouds.filesystem.basedir")) {
                overrides.setProperty("jclouds.filesystem.basedir", r.basedir());
            }
            if (overrides.getProperty("jclouds.filesystem.basedir", "").isBlank()) {
                throw new InvalidValueException(r.scopes().get(0) + "jclouds.filesystem.basedir", null,
                        "the folder that holds the containers (or give it as jclouds:filesystem:/PATH)");
            }
        }
        Redactor redactor = Redactor.of(identity, credential);
        BlobStoreContext context;
        try {
            context = BlobProviders.newContext(r.provider(), "filesystem".equals(r.provider()) ? null : endpoint,
                    needsCredentials || identity != null ? identity : null, credential, overrides);
        } catch (RuntimeException | LinkageError e) {
            throw new InvalidValueException(r.locationKey(), persistenceLocation,
                    "a location jclouds can use; it failed with: " + redactor.redact(String.valueOf(e.getMessage())));
        }
        BlobPlaneStore store = new BlobPlaneStore(context, r.provider(),
                "filesystem".equals(r.provider()) ? overrides.getProperty("jclouds.filesystem.basedir") : endpoint,
                r.region(), dir[0], dir[1], RetryPolicy.forPollPeriod(poll), maxWriteLatency,
                java.util.Arrays.asList(identity, credential));
        created.add(store);
        LOG.info("Tandem store for persistenceLocation '{}': {}", persistenceLocation, store.describe());
        return store;
    }

    /** Closes the contexts of the stores made here. */
    @Deactivate
    void deactivate() {
        for (BlobPlaneStore s : created) {
            s.close();
        }
        created.clear();
    }

    // ------------------------------------------------------------------ resolution

    static Resolved resolve(String location, Map<String, ?> props) {
        String namedKey = NAMED + location;
        if (!location.startsWith(SPEC_PREFIX) && props.get(namedKey) != null) {
            String spec = String.valueOf(props.get(namedKey)).trim();
            return parseSpec(spec, namedKey, List.of(namedKey + "."));
        }
        if (location.startsWith(SPEC_PREFIX)) {
            return parseSpec(location, "persistenceLocation", List.of());
        }
        int colon = location.indexOf(':');
        if (colon > 0 && BlobProviders.find(location.substring(0, colon)).isPresent()) {
            return parseSpec(location, "persistenceLocation", List.of());
        }
        Set<String> defined = new TreeSet<>();
        props.keySet().forEach(k -> {
            if (k.startsWith(NAMED) && k.indexOf('.', NAMED.length()) < 0) {
                defined.add(k.substring(NAMED.length()));
            }
        });
        throw new InvalidValueException("persistenceLocation", location,
                "empty (the local filesystem), a location defined by " + NAMED + "NAME in etc/brooklyn.cfg ("
                        + (defined.isEmpty() ? "none is defined" : "defined: " + String.join(", ", defined))
                        + "), or jclouds:PROVIDER[:ENDPOINT_OR_REGION]");
    }

    private static Resolved parseSpec(String spec, String key, List<String> namedScopes) {
        String s = spec.startsWith(SPEC_PREFIX) ? spec.substring(SPEC_PREFIX.length()) : spec;
        int colon = s.indexOf(':');
        String provider = (colon < 0 ? s : s.substring(0, colon)).trim();
        String rest = colon < 0 ? "" : s.substring(colon + 1).trim();
        if (provider.isEmpty()) {
            throw new InvalidValueException(key, spec, "PROVIDER[:REGION] or jclouds:PROVIDER[:ENDPOINT], e.g. aws-s3:eu-west-1");
        }
        String endpoint = null;
        String region = null;
        String basedir = null;
        if (!rest.isEmpty()) {
            if ("filesystem".equals(provider)) {
                basedir = rest;
            } else if (rest.contains("://")) {
                endpoint = rest;
            } else {
                region = rest;
            }
        }
        List<String> scopes = new ArrayList<>(namedScopes);
        scopes.add(JCLOUDS_SCOPE + provider + ".");
        scopes.add(JCLOUDS_SCOPE);
        return new Resolved(provider, endpoint, region, basedir, List.copyOf(scopes), key);
    }

    /** The first of the scopes' values for a setting (identity, credential, endpoint). */
    private static String setting(Map<String, ?> props, Resolved r, String name) {
        for (String scope : r.scopes()) {
            Object v = props.get(scope + name);
            if (v != null && !String.valueOf(v).isBlank()) {
                return String.valueOf(v).trim();
            }
        }
        return null;
    }

    /** jclouds.* properties: the provider scope's, then the named location's over them. */
    private static Properties overrides(Map<String, ?> props, Resolved r) {
        Properties out = new Properties();
        List<String> scopes = new ArrayList<>(r.scopes().subList(0, r.scopes().size() - 1));
        java.util.Collections.reverse(scopes);
        for (String scope : scopes) {
            props.forEach((k, v) -> {
                if (k.startsWith(scope + "jclouds.") && v != null) {
                    out.setProperty(k.substring(scope.length()), String.valueOf(v).trim());
                }
            });
        }
        return out;
    }

    /** Request timeouts and jclouds' own retries sized for HA polling, unless the operator set them. */
    private static void defaults(Properties overrides, Resolved r, String endpoint, Duration poll) {
        long timeout = Math.max(2000, poll.toMillis() * 2);
        overrides.putIfAbsent("jclouds.so-timeout", Long.toString(timeout));
        overrides.putIfAbsent("jclouds.connection-timeout", Long.toString(timeout));
        // jclouds' own retries off: its server-error handlers would resend a PUT answered 500 or 504, whose
        // outcome is unknown; RetryPolicy retries within the poll period what Replay allows. Redirects are
        // still followed (jclouds.max-redirects). And should an operator raise max-retries, PUTs are still not
        // resent after an I/O failure:
        overrides.putIfAbsent("jclouds.max-retries", "0");
        overrides.putIfAbsent("jclouds.idempotent-methods", RESENDABLE_METHODS);
        if ("s3".equals(r.provider()) && endpoint != null && !endpoint.isEmpty()) {
            // S3-compatible servers on an explicit endpoint mostly want path-style bucket URLs
            overrides.putIfAbsent("jclouds.s3.virtual-host-buckets", "false");
        }
    }

    static String[] containerAndPrefix(String persistenceDir) {
        String dir = persistenceDir == null ? "" : persistenceDir.trim();
        while (dir.endsWith("/")) {
            dir = dir.substring(0, dir.length() - 1);
        }
        if (dir.isEmpty()) {
            return new String[] {DEFAULT_CONTAINER, ""};
        }
        int slash = dir.indexOf('/');
        String container = slash < 0 ? dir : dir.substring(0, slash);
        String prefix = slash < 0 ? "" : dir.substring(slash + 1);
        if (!CONTAINER.matcher(container).matches() || container.contains("..")
                || !prefix.isEmpty() && (!PREFIX.matcher(prefix).matches() || prefix.contains(".."))) {
            throw new InvalidValueException("persistenceDir", persistenceDir, CONTAINER_RULE);
        }
        return new String[] {container, prefix};
    }

    /** Brooklyn-style durations (500ms, 1s, 2m; a bare number is milliseconds); the fallback if absent, null if unreadable. */
    static Duration duration(Object value, Duration fallback) {
        if (value == null || String.valueOf(value).isBlank()) {
            return fallback;
        }
        Matcher m = DURATION.matcher(String.valueOf(value));
        if (!m.matches()) {
            return null;
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        double millis = switch (unit) {
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            case "d" -> n * 86_400_000;
            default -> n;
        };
        return Duration.ofNanos((long) (millis * 1_000_000));
    }
}
