package dev.tandem.ha.persistence.jclouds;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.store.PlaneStore.ClaimSupport;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.jclouds.S3ConditionalWrites.Outcome;

/**
 * Finds out whether the endpoint honours {@code If-None-Match: *} on PUT, and keeps checking. At join
 * ({@link #selfTest}) on a scratch key: a first create must succeed, a second must fail with 412 (and a PUT
 * with a wrong {@code If-Match} must fail with 412, for information). Before a claim ({@link #stillHonoured}),
 * when the last check is older than the recheck interval, a create of a sentinel key that exists must fail
 * with 412 (one PUT; two when the sentinel is new). An endpoint that stops honouring the header (a gateway
 * or proxy put in front of it) is found out at the first claim of an election, and claims fall back to the
 * timed claim. Only the S3 API can send the header; on others claims are always timed.
 */
final class ConditionalWriteProbe {
    private static final Logger LOG = LoggerFactory.getLogger(ConditionalWriteProbe.class);
    /** The default time after which a claim re-checks the endpoint first. */
    static final Duration RECHECK_INTERVAL = Duration.ofSeconds(30);
    private static final byte[] PROBE = "tandem conditional-write probe".getBytes(StandardCharsets.UTF_8);

    private final BlobCalls calls;
    private final StoreLayout layout;
    private final LongSupplier nanoTime;
    private final long recheckNanos;
    private final String storeName;
    private final Duration writeBound;

    private volatile ClaimSupport support = ClaimSupport.NONE;
    private volatile String note = "claims not tested yet";
    private volatile boolean tested;
    private volatile long checkedAt;

    ConditionalWriteProbe(BlobCalls calls, StoreLayout layout, LongSupplier nanoTime, Duration recheckInterval,
            String storeName, Duration writeBound) {
        this.calls = calls;
        this.layout = layout;
        this.nanoTime = nanoTime;
        this.recheckNanos = recheckInterval.toNanos();
        this.storeName = storeName;
        this.writeBound = writeBound;
    }

    ClaimSupport support() {
        return support;
    }

    String note() {
        return note;
    }

    /** The full self-test, once per store instance (a join): three PUTs and a DELETE on a scratch key. */
    synchronized void selfTest() throws StoreException {
        if (tested) {
            return;
        }
        if (!calls.isS3()) {
            note = "timed claims: no conditional writes on this API";
            LOG.info("Store {}: claims use the timed claim (bound {} ms per write)", storeName, writeBound.toMillis());
            tested = true;
            return;
        }
        String scratch = layout.probeKey(UUID.randomUUID().toString());
        boolean ifNoneMatch = false;
        boolean ifMatch = false;
        try {
            Outcome first = put(scratch, "*", null);
            if (first == Outcome.WRITTEN) {
                ifNoneMatch = put(scratch, "*", null) == Outcome.PRECONDITION_FAILED;
                ifMatch = put(scratch, null, "\"00000000000000000000000000000000\"") == Outcome.PRECONDITION_FAILED;
            }
        } finally {
            calls.deleteQuietly(scratch);
        }
        support = ifNoneMatch ? ClaimSupport.ATOMIC : ClaimSupport.NONE;
        note = ifNoneMatch ? "conditional writes" + (ifMatch ? "" : ", no If-Match") : "timed claims: endpoint ignores If-None-Match";
        checkedAt = nanoTime.getAsLong();
        tested = true;
        if (ifNoneMatch) {
            LOG.info("Store {}: the endpoint honours If-None-Match{}; claims are atomic conditional writes", storeName,
                    ifMatch ? " and If-Match" : " (not If-Match)");
        } else {
            LOG.info("Store {}: the endpoint does not honour If-None-Match on PUT; claims use the timed claim "
                    + "(write bound {} ms, see docs/persistence.md)", storeName, writeBound.toMillis());
        }
    }

    /**
     * Before an atomic claim: whether the endpoint still honours If-None-Match, checked again if the last
     * check is older than the recheck interval. If it no longer does, claims use the timed claim from now on.
     *
     * @throws StoreException if the check could not be made (the claim then fails; the protocol claims again later)
     */
    synchronized boolean stillHonoured() throws StoreException {
        if (support != ClaimSupport.ATOMIC) {
            return false;
        }
        if (nanoTime.getAsLong() - checkedAt < recheckNanos) {
            return true;
        }
        String sentinel = layout.probeKey("sentinel");
        Outcome first = put(sentinel, "*", null);
        boolean honoured = first == Outcome.PRECONDITION_FAILED
                || first == Outcome.WRITTEN && put(sentinel, "*", null) == Outcome.PRECONDITION_FAILED;
        checkedAt = nanoTime.getAsLong();
        if (!honoured) {
            support = ClaimSupport.NONE;
            note = "timed claims: endpoint stopped honouring If-None-Match";
            LOG.warn("Store {}: the endpoint no longer honours If-None-Match on PUT (it did at join); claims use the "
                    + "timed claim from now on (write bound {} ms, see docs/persistence.md)", storeName, writeBound.toMillis());
        }
        return honoured;
    }

    private Outcome put(String blobName, String ifNoneMatch, String ifMatch) throws StoreException {
        return calls.conditionalPut("self-test", blobName, PROBE, ifNoneMatch, ifMatch, calls.requests().policy(), true);
    }
}
