package dev.tandem.ha.persistence.jclouds;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

import org.jclouds.blobstore.BlobStoreContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.api.store.StoredObject;
import dev.tandem.jclouds.BlobProviders;
import dev.tandem.jclouds.S3ConditionalWrites.Outcome;

/**
 * The plane store over a jclouds blob store: one container, keys under an optional prefix
 * ({@link StoreLayout}). The requests go through {@link BlobCalls} and {@link BlobListing}, which run them
 * with retries and redaction ({@link BlobRequests}).
 *
 * <p>Requests: {@link #read} is one GET, {@link #exists} one HEAD, {@link #put} one PUT, {@link #list} one
 * LIST per 1,000 keys, {@link #delete} one DELETE. {@link #open} checks the container (HEAD), creates it
 * if missing (PUT), and on the S3 API runs the conditional-write self-test once ({@link ConditionalWriteProbe}).
 * Writes never create the container, so a deleted bucket shows as an outage. A PUT whose outcome is unknown
 * (a timeout or I/O failure after it may have reached the store) is never sent again ({@link Replay}).
 *
 * <p>{@link #createIfAbsent}: where the endpoint honours {@code If-None-Match: *} on PUT (Amazon S3 since
 * 2024), one conditional PUT ({@link ClaimSupport#ATOMIC}), after a re-check of the endpoint when the last
 * one is older than {@link ConditionalWriteProbe#RECHECK_INTERVAL}. Elsewhere the {@link TimedClaim}, safe
 * under the bounds that docs/persistence.md states ({@link ClaimSupport#NONE}).
 */
public final class BlobPlaneStore implements PlaneStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BlobPlaneStore.class);
    private static final int READ_CONCURRENCY = 8;
    private static final byte[] CLAIM_MARK = {'c'};

    /** The HTTP requests this store has made, by verb (one count per attempt, retries included). */
    public enum Request { GET, HEAD, PUT, LIST, DELETE }

    private final BlobStoreContext context;
    /** Provider, endpoint, container and prefix: how messages name the store. */
    private final String description;
    /** The same with the region: how {@link #describe} names it. */
    private final String fullDescription;
    private final String container;
    private final String region;
    private final StoreLayout layout;
    private final BlobRequests requests;
    private final BlobCalls calls;
    private final BlobListing listing;
    private final ConditionalWriteProbe probe;
    private final TimedClaim timedClaim;

    /** Runs the reads of {@link #readAll} concurrently; made on first use, shut down by {@link #close()}. */
    private ExecutorService readers;

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
        Redactor redactor = Redactor.of(secrets.size() > 0 ? secrets.get(0) : null, secrets.size() > 1 ? secrets.get(1) : null);
        String shownEndpoint = endpoint == null || endpoint.isEmpty() ? null : redactor.redact(stripQuery(endpoint));
        this.region = region == null || region.isEmpty() ? null : region;
        this.layout = new StoreLayout(prefix);
        this.container = container;
        String where = providerId + (shownEndpoint == null ? "" : " " + shownEndpoint);
        this.description = where + " " + container + layout.describePrefix();
        this.fullDescription = where + (this.region == null ? "" : " (" + this.region + ")") + " " + container
                + layout.describePrefix();
        this.requests = new BlobRequests(description, container, retry, redactor, nanoTime);
        this.calls = new BlobCalls(context, container, layout, requests);
        this.listing = new BlobListing(context.getBlobStore(), container, layout, requests);
        this.probe = new ConditionalWriteProbe(calls, layout, nanoTime, ConditionalWriteProbe.RECHECK_INTERVAL,
                description, maxWriteLatency);
        this.timedClaim = new TimedClaim(new Claims(), maxWriteLatency,
                new ThreadedClaimTiming(nanoTime, "tandem-store-claim " + container));
    }

    // ------------------------------------------------------------------ PlaneStore

    @Override
    public String describe() {
        return fullDescription + " (" + probe.note() + ")";
    }

    @Override
    public ClaimSupport claimSupport() {
        return probe.support();
    }

    @Override
    public void open(List<String> prefixes) throws StoreException {
        if (!calls.containerExists()) {
            boolean created = calls.createContainer(region);
            LOG.info("Store {}: container {} {}", describe(), container, created ? "created" : "already created by another node");
        }
        probe.selfTest();
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
                Thread t = new Thread(r, "tandem-store-read " + description);
                t.setDaemon(true);
                return t;
            });
        }
        return readers;
    }

    @Override
    public Optional<StoredObject> read(String key) throws StoreException {
        return calls.get(layout.storeKey(key), key);
    }

    @Override
    public boolean exists(String key) throws StoreException {
        return calls.head(layout.storeKey(key));
    }

    /** One PUT, sent again only after a failure that proves it was not applied. */
    @Override
    public void put(String key, byte[] content) throws StoreException {
        calls.put(layout.storeKey(key), content, requests.policy());
    }

    @Override
    public boolean createIfAbsent(String key, byte[] content) throws StoreException {
        String blobName = layout.storeKey(key);
        if (probe.support() == ClaimSupport.ATOMIC && probe.stillHonoured()) {
            return calls.conditionalPut("create", blobName, content, "*", null, requests.policy(), false) == Outcome.WRITTEN;
        }
        return timedClaim.create(key, content);
    }

    @Override
    public void delete(String key) throws StoreException {
        calls.delete(layout.storeKey(key), key);
    }

    @Override
    public List<String> list(String keyPrefix) throws StoreException {
        List<String> keys = new ArrayList<>();
        for (String name : listing.names(layout.listPrefix(keyPrefix))) {
            String key = layout.keyOf(name);
            if (key != null) {
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
        timedClaim.close();
        BlobProviders.close(context);
    }

    /** Requests made so far, by verb. */
    public Map<Request, Long> requestCounts() {
        return requests.counts();
    }

    /** How claims are made, as found out by the conditional-write probe. */
    public String claimNote() {
        return probe.note();
    }

    private static String stripQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    /** The timed claim's view of this store: claims under {@link StoreLayout#claimsFolder}, writes sent once. */
    private final class Claims implements ClaimBackend {
        private final RetryPolicy once = RetryPolicy.none();

        @Override
        public boolean exists(String key) throws StoreException {
            return calls.head(layout.storeKey(key));
        }

        @Override
        public void writeClaim(String key, String id) throws StoreException {
            calls.put(layout.claimsFolder(key) + id, CLAIM_MARK, requests.policy());
        }

        @Override
        public List<String> claimIds(String key) throws StoreException {
            String folder = layout.claimsFolder(key);
            List<String> ids = new ArrayList<>();
            for (String name : listing.names(folder)) {
                ids.add(name.substring(folder.length()));
            }
            return ids;
        }

        @Override
        public boolean publish(String key, byte[] content) throws StoreException {
            String blobName = layout.storeKey(key);
            if (calls.isS3()) {
                // If-None-Match protects the claim wherever the endpoint honours it (a node that still uses
                // conditional writes cannot be overwritten); an endpoint that ignores it overwrites
                Outcome outcome = calls.conditionalPut("create", blobName, content, "*", null, once, true);
                if (outcome != null) {
                    return outcome == Outcome.WRITTEN;
                }
                // the endpoint refused the header itself (400, 405, 501): nothing was written
            }
            calls.put(blobName, content, once);
            return true;
        }

        @Override
        public void deleteClaim(String key, String id) {
            calls.deleteQuietly(layout.claimsFolder(key) + id);
        }
    }
}
