package dev.tandem.ha.persistence.jclouds;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.ContainerNotFoundException;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.domain.Location;
import org.jclouds.http.HttpResponseException;
import org.jclouds.rest.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.api.store.StoredObject;
import dev.tandem.jclouds.BlobProviders;
import dev.tandem.jclouds.S3ConditionalWrites;
import dev.tandem.jclouds.S3ConditionalWrites.Outcome;

/**
 * The plane store over a jclouds {@link BlobStore}: one container, keys under an optional prefix.
 *
 * <p>Requests: {@link #read} is one GET, {@link #exists} one HEAD, {@link #put} one PUT, {@link #list} one
 * LIST per 1,000 keys, {@link #delete} one DELETE. {@link #open} checks the container (HEAD), creates it
 * if missing (PUT), and on the S3 API runs the conditional-write self-test once (three PUTs and a DELETE
 * on a scratch key). Writes never create the container, so a deleted bucket shows as an outage.
 *
 * <p>{@link #createIfAbsent}: where the endpoint honours {@code If-None-Match: *} on PUT (Amazon S3 since
 * 2024), one conditional PUT ({@link ClaimSupport#ATOMIC}). Elsewhere the timed claim of {@link TimedClaim},
 * safe under the bound {@code maxWriteLatency} that docs/persistence.md states ({@link ClaimSupport#NONE}).
 *
 * <p>Transient failures (5xx, throttling, timeouts, refused connections) are retried by {@link RetryPolicy};
 * messages of {@link StoreException}s and their causes are redacted of credentials.
 */
public final class BlobPlaneStore implements PlaneStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BlobPlaneStore.class);
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    /** Keys of the store's own bookkeeping (timed claims, self-test); never listed to callers. */
    static final String RESERVED = ".tandem-";
    static final String CLAIMS = RESERVED + "claims/";
    private static final String SELF_TEST = RESERVED + "selftest/";

    /** The HTTP requests this store has made, by verb (one count per attempt, retries included). */
    public enum Request { GET, HEAD, PUT, LIST, DELETE }

    private final BlobStoreContext context;
    private final BlobStore blobStore;
    private final String providerId;
    private final String endpoint;
    private final String region;
    private final String container;
    private final String prefix;
    private final RetryPolicy retry;
    private final Redactor redactor;
    private final LongSupplier nanoTime;
    private final TimedClaim timedClaim;
    private final Map<Request, LongAdder> requests = new EnumMap<>(Request.class);

    /** Runs the reads of {@link #readAll} concurrently; made on first use, shut down by {@link #close()}. */
    private ExecutorService readers;
    private static final int READ_CONCURRENCY = 8;

    private volatile ClaimSupport claimSupport = ClaimSupport.NONE;
    private volatile String claimNote = "claims not tested yet";
    private volatile boolean selfTested;

    /**
     * @param context         the jclouds context; closed by {@link #close()}
     * @param providerId      for descriptions (e.g. {@code s3}, {@code aws-s3})
     * @param endpoint        for descriptions, or null (the provider's default); user info is never shown
     * @param region          where to create the container, or null
     * @param container       the container (bucket)
     * @param prefix          a key prefix without leading or trailing slash, or empty
     * @param retry           retries of transient failures
     * @param maxWriteLatency the timed claim's bound W (see {@link TimedClaim})
     * @param secrets         the identity and the credential: the credential never appears in a message, nor the
     *                        identity if it looks like an access key (see {@link Redactor})
     */
    public BlobPlaneStore(BlobStoreContext context, String providerId, String endpoint, String region, String container,
            String prefix, RetryPolicy retry, Duration maxWriteLatency, List<String> secrets) {
        this(context, providerId, endpoint, region, container, prefix, retry, maxWriteLatency, secrets, System::nanoTime);
    }

    BlobPlaneStore(BlobStoreContext context, String providerId, String endpoint, String region, String container,
            String prefix, RetryPolicy retry, Duration maxWriteLatency, List<String> secrets, LongSupplier nanoTime) {
        this.context = context;
        this.blobStore = context.getBlobStore();
        this.providerId = providerId;
        this.redactor = Redactor.of(secrets.size() > 0 ? secrets.get(0) : null, secrets.size() > 1 ? secrets.get(1) : null);
        this.endpoint = endpoint == null || endpoint.isEmpty() ? null : redactor.redact(stripQuery(endpoint));
        this.region = region == null || region.isEmpty() ? null : region;
        this.container = container;
        this.prefix = prefix == null || prefix.isEmpty() ? "" : prefix + "/";
        this.retry = retry;
        this.nanoTime = nanoTime;
        this.timedClaim = new TimedClaim(this, maxWriteLatency, nanoTime);
        for (Request r : Request.values()) {
            requests.put(r, new LongAdder());
        }
    }

    // ------------------------------------------------------------------ PlaneStore

    @Override
    public String describe() {
        return providerId + (endpoint == null ? "" : " " + endpoint) + (region == null ? "" : " (" + region + ")") + " "
                + container + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1))
                + " (" + claimNote + ")";
    }

    @Override
    public ClaimSupport claimSupport() {
        return claimSupport;
    }

    @Override
    public void open(List<String> prefixes) throws StoreException {
        boolean exists = call("check container", "", Request.HEAD, () -> blobStore.containerExists(container));
        if (!exists) {
            boolean created = call("create container", "", Request.PUT,
                    () -> blobStore.createContainerInLocation(location(), container));
            LOG.info("Store {}: container {} {}", describe(), container, created ? "created" : "already created by another node");
        }
        if (!selfTested) {
            selfTest();
            selfTested = true;
        }
    }

    /** Reads the objects concurrently (at most {@value #READ_CONCURRENCY} requests at once). */
    @Override
    public List<Optional<StoredObject>> readAll(List<String> keys) throws StoreException {
        if (keys.size() < 2) {
            return PlaneStore.super.readAll(keys);
        }
        ExecutorService pool = readers();
        List<Future<Optional<StoredObject>>> reads = new ArrayList<>(keys.size());
        try {
            for (String key : keys) {
                reads.add(pool.submit(() -> read(key)));
            }
            List<Optional<StoredObject>> out = new ArrayList<>(keys.size());
            for (Future<Optional<StoredObject>> r : reads) {
                out.add(r.get());
            }
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException se) {
                throw se;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new StoreException("reading from " + describe() + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while reading from " + describe(), e);
        } finally {
            reads.forEach(r -> r.cancel(true));
        }
    }

    private synchronized ExecutorService readers() {
        if (readers == null) {
            readers = Executors.newFixedThreadPool(READ_CONCURRENCY, r -> {
                Thread t = new Thread(r, "tandem-store-read " + container);
                t.setDaemon(true);
                return t;
            });
        }
        return readers;
    }

    @Override
    public Optional<StoredObject> read(String key) throws StoreException {
        String k = storeKey(key);
        return call("read", key, Request.GET, () -> {
            Blob blob = blobStore.getBlob(container, k);
            if (blob == null) {
                return Optional.empty();
            }
            byte[] content;
            try (InputStream in = blob.getPayload().openStream()) {
                content = in.readAllBytes();
            } catch (IOException e) {
                throw new HttpResponseException("reading the body of " + key + " failed: " + e, null, null, e);
            }
            return Optional.of(new StoredObject(key, content, millis(blob.getMetadata().getLastModified())));
        });
    }

    @Override
    public boolean exists(String key) throws StoreException {
        return exists0(storeKey(key), key);
    }

    @Override
    public void put(String key, byte[] content) throws StoreException {
        put0(storeKey(key), key, content, true);
    }

    @Override
    public boolean createIfAbsent(String key, byte[] content) throws StoreException {
        String k = storeKey(key);
        if (claimSupport == ClaimSupport.ATOMIC) {
            Outcome outcome = call("create", key, Request.PUT,
                    () -> S3ConditionalWrites.put(context, container, k, content, "*", null));
            return outcome == Outcome.WRITTEN;
        }
        return timedClaim.create(key, content);
    }

    @Override
    public void delete(String key) throws StoreException {
        String k = storeKey(key);
        call("delete", key, Request.DELETE, () -> {
            blobStore.removeBlob(container, k);
            return null;
        });
    }

    @Override
    public List<String> list(String keyPrefix) throws StoreException {
        List<String> keys = new ArrayList<>();
        for (StorageMetadata m : list0(prefix + keyPrefix)) {
            String key = m.getName().substring(prefix.length());
            if (!key.startsWith(RESERVED)) {
                keys.add(key);
            }
        }
        Collections.sort(keys);
        return keys;
    }

    /** Closes the jclouds context (its threads and connections). */
    @Override
    public void close() {
        synchronized (this) {
            if (readers != null) {
                readers.shutdownNow();
            }
        }
        BlobProviders.close(context);
    }

    /** Requests made so far, by verb. */
    public Map<Request, Long> requestCounts() {
        Map<Request, Long> out = new LinkedHashMap<>();
        requests.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Whether the endpoint honoured {@code If-Match} in the self-test (informational; claims use If-None-Match). */
    public String claimNote() {
        return claimNote;
    }

    // ------------------------------------------------------------------ for TimedClaim (full store keys)

    String storeKey(String key) {
        if (key == null || !KEY.matcher(key).matches() || key.contains("..")) {
            throw new IllegalArgumentException("invalid store key: " + key);
        }
        return prefix + key;
    }

    String claimsFolder(String key) {
        return prefix + CLAIMS + key + "/";
    }

    boolean exists0(String storeKey, String displayKey) throws StoreException {
        return call("check", displayKey, Request.HEAD, () -> blobStore.blobMetadata(container, storeKey) != null);
    }

    void put0(String storeKey, String displayKey, byte[] content, boolean retried) throws StoreException {
        Blob blob = blobStore.blobBuilder(storeKey).payload(content).contentLength(content.length)
                .contentType("application/octet-stream").build();
        call("write", displayKey, Request.PUT, retried ? retry : RetryPolicy.none(), () -> blobStore.putBlob(container, blob));
    }

    void deleteQuietly(String storeKey) {
        try {
            call("delete", storeKey, Request.DELETE, () -> {
                blobStore.removeBlob(container, storeKey);
                return null;
            });
        } catch (StoreException e) {
            LOG.debug("Store {}: could not delete {}: {}", describe(), storeKey, e.getMessage());
        }
    }

    /** Every blob under a full store-key prefix, following pages. */
    List<StorageMetadata> list0(String fullPrefix) throws StoreException {
        List<StorageMetadata> out = new ArrayList<>();
        String marker = null;
        do {
            ListContainerOptions options = ListContainerOptions.Builder.prefix(fullPrefix).recursive();
            if (marker != null) {
                options.afterMarker(marker);
            }
            PageSet<? extends StorageMetadata> page = call("list", nameOf(fullPrefix), Request.LIST,
                    () -> blobStore.list(container, options));
            for (StorageMetadata m : page) {
                if (m.getType() == StorageType.BLOB && m.getName() != null && m.getName().startsWith(fullPrefix)) {
                    out.add(m);
                }
            }
            marker = page.getNextMarker();
        } while (marker != null);
        return out;
    }

    static long millis(Date date) {
        return date == null ? 0 : date.getTime();
    }

    String nameOf(String storeKey) {
        return storeKey.startsWith(prefix) ? storeKey.substring(prefix.length()) : storeKey;
    }

    // ------------------------------------------------------------------ conditional-write self-test

    /**
     * Finds out, on a scratch key, whether the endpoint honours {@code If-None-Match: *} (a second create
     * must fail with 412) and {@code If-Match} (a PUT with a wrong ETag must fail with 412).
     */
    private void selfTest() throws StoreException {
        if (!S3ConditionalWrites.isS3(context)) {
            claimSupport = ClaimSupport.NONE;
            claimNote = "timed claims: no conditional writes on this API";
            LOG.info("Store {}: claims use the timed claim (bound {} ms per write)", describe(),
                    timedClaim.maxWriteLatency().toMillis());
            return;
        }
        String scratch = prefix + SELF_TEST + UUID.randomUUID();
        byte[] probe = "tandem conditional-write self-test".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        boolean ifNoneMatch = false;
        boolean ifMatch = false;
        try {
            Outcome first = conditionalPut(scratch, probe, "*", null);
            if (first == Outcome.WRITTEN) {
                ifNoneMatch = conditionalPut(scratch, probe, "*", null) == Outcome.PRECONDITION_FAILED;
                ifMatch = conditionalPut(scratch, probe, null, "\"00000000000000000000000000000000\"")
                        == Outcome.PRECONDITION_FAILED;
            }
        } finally {
            deleteQuietly(scratch);
        }
        claimSupport = ifNoneMatch ? ClaimSupport.ATOMIC : ClaimSupport.NONE;
        claimNote = ifNoneMatch ? "conditional writes" + (ifMatch ? "" : ", no If-Match")
                : "timed claims: endpoint ignores If-None-Match";
        if (ifNoneMatch) {
            LOG.info("Store {}: the endpoint honours If-None-Match{}; claims are atomic conditional writes", describe(),
                    ifMatch ? " and If-Match" : " (not If-Match)");
        } else {
            LOG.info("Store {}: the endpoint does not honour If-None-Match on PUT; claims use the timed claim "
                    + "(write bound {} ms, see docs/persistence.md)", describe(), timedClaim.maxWriteLatency().toMillis());
        }
    }

    /** A conditional PUT of the self-test: WRITTEN, PRECONDITION_FAILED, CONFLICT, or null if the header was refused. */
    private Outcome conditionalPut(String storeKey, byte[] content, String ifNoneMatch, String ifMatch)
            throws StoreException {
        return call("self-test", nameOf(storeKey), Request.PUT, () -> {
            try {
                return S3ConditionalWrites.put(context, container, storeKey, content, ifNoneMatch, ifMatch);
            } catch (RuntimeException e) {
                int status = statusOf(e);
                if (status == 400 || status == 405 || status == 501) {
                    return null; // the endpoint refuses the header itself: not supported
                }
                throw e;
            }
        });
    }

    // ------------------------------------------------------------------ calls, retries, errors

    private interface Call<T> {
        T call();
    }

    private <T> T call(String op, String key, Request kind, Call<T> call) throws StoreException {
        return call(op, key, kind, retry, call);
    }

    private <T> T call(String op, String key, Request kind, RetryPolicy policy, Call<T> call) throws StoreException {
        long start = nanoTime.getAsLong();
        long deadline = start + policy.budget().toNanos();
        for (int attempt = 1;; attempt++) {
            requests.get(kind).increment();
            try {
                return call.call();
            } catch (RuntimeException e) {
                boolean transientFailure = isTransient(e);
                long pause = policy.backoffNanos(attempt);
                if (!transientFailure || attempt >= policy.maxTries() || nanoTime.getAsLong() + pause - deadline > 0) {
                    throw failure(op, key, e, attempt);
                }
                LOG.debug("Store {}: {} {} failed (attempt {}), retrying in {} ms: {}", describe(), op, key, attempt,
                        pause / 1_000_000, redactor.redact(String.valueOf(e.getMessage())));
                try {
                    TimeUnit.NANOSECONDS.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw failure(op, key, e, attempt);
                }
            }
        }
    }

    private StoreException failure(String op, String key, RuntimeException e, int attempts) {
        String what;
        if (e instanceof ContainerNotFoundException || statusOf(e) == 404) {
            what = "container " + container + " not found (deleted, or the wrong account or region?)";
        } else if (e instanceof AuthorizationException || statusOf(e) == 401 || statusOf(e) == 403) {
            what = "access denied (check the identity and credential)";
        } else {
            int status = statusOf(e);
            what = (status > 0 ? "HTTP " + status + ": " : "") + summary(e);
        }
        String message = "store " + describeShort() + ": cannot " + op + (key.isEmpty() ? "" : " " + key) + ": "
                + redactor.redact(what) + (attempts > 1 ? " (after " + attempts + " attempts)" : "");
        return new StoreException(message, redactor.redact(e));
    }

    private String describeShort() {
        return providerId + (endpoint == null ? "" : " " + endpoint) + " " + container
                + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1));
    }

    private static String summary(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = e.getMessage();
        if (root != e) {
            m = (m == null ? "" : m + "; ") + "cause: " + root;
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    static int statusOf(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof HttpResponseException h && h.getResponse() != null) {
                return h.getResponse().getStatusCode();
            }
        }
        return -1;
    }

    /** 5xx, 408, 429, S3's throttling codes, and I/O failures (timeouts, refused or reset connections). */
    static boolean isTransient(Throwable e) {
        if (e instanceof ContainerNotFoundException || e instanceof AuthorizationException) {
            return false;
        }
        int status = statusOf(e);
        if (status >= 500 || status == 408 || status == 429) {
            return true;
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return true;
            }
            String m = c.getMessage();
            if (m != null && (m.contains("SlowDown") || m.contains("RequestTimeout") || m.contains("Throttl"))) {
                return true;
            }
        }
        return status < 0 && e instanceof HttpResponseException;
    }

    private Location location() {
        if (region == null) {
            return null;
        }
        for (Location l : blobStore.listAssignableLocations()) {
            if (region.equals(l.getId())) {
                return l;
            }
        }
        return null;
    }

    private static String stripQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
