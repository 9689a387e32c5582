package dev.tandem.ha.persistence.jclouds;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.jclouds.blobstore.domain.StorageMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.store.StoreException;

/**
 * Create-if-absent on a store without conditional writes, safe under a stated timing bound (a variant of
 * Fischer's timed mutual exclusion). The full argument is in docs/persistence.md; in short:
 *
 * <p><b>Assumptions.</b> (A1) Read-after-write and list-after-write consistency. (A2) Every write a node
 * sends is applied by the store within {@code W} ({@code maxWriteLatency}) of being sent, or never; W
 * includes network delay and any pause of the node's process between the check before a write and the
 * write leaving the node. (A3) Each node's monotonic clock and the store's clock measure intervals within
 * ±1%.
 *
 * <p><b>Protocol</b> for key K, by a caller with a fresh random id:
 * <ol>
 * <li>HEAD K: if it exists, lose.</li>
 * <li>PUT a claim object {@code .tandem-claims/K/ID}; lose if that took longer than W.</li>
 * <li>Wait D = W(1+ρ)(1/(1-ρ) + 1) (about 2W) after the PUT returned; lose if the wait overran by more
 *     than W.</li>
 * <li>LIST the claims of K and HEAD K. Lose if K exists, if this caller's claim is not listed, if an id
 *     lower than its own is listed (claims older than a staleness bound are ignored: their writers have
 *     finished), or if LIST and HEAD together took longer than W.</li>
 * <li>PUT K (one attempt, no retry), delete the listed claims, win.</li>
 * </ol>
 * <p><b>Why at most one wins.</b> If A and B both win, one of them, say A, did not list B's claim (if each
 * listed the other, both cannot hold the lowest id). Then B's claim was written after A's LIST began, so
 * B's HEAD of K came at least D after A's LIST began; A's PUT of K was sent within W of that and applied
 * within another W (A2), i.e. before B's HEAD (D &gt; 2W with the clock bounds): B saw K and lost.
 * Contradiction. Ignoring a stale claim is safe because its writer, had it won, would have published K
 * before the ignoring caller even wrote its own claim, so that caller's HEAD would have seen K.
 *
 * <p>A caller whose write failed or timed out returns false or throws: never a false "true".
 */
final class TimedClaim {
    private static final Logger LOG = LoggerFactory.getLogger(TimedClaim.class);
    /** ρ: the clock rate bound, as ha-core assumes (HaSettings.CLOCK_RATE_BOUND). */
    static final double RHO = 0.01;
    /** Resolution of store timestamps in listings (S3 gives seconds on some servers). */
    private static final long STORE_CLOCK_RESOLUTION_MILLIS = 1000;

    private final BlobPlaneStore store;
    private final Duration maxWriteLatency;
    private final long w;
    private final long d;
    private final long staleMillis;
    private final LongSupplier nanoTime;

    TimedClaim(BlobPlaneStore store, Duration maxWriteLatency, LongSupplier nanoTime) {
        if (maxWriteLatency.isNegative() || maxWriteLatency.isZero()) {
            throw new IllegalArgumentException("maxWriteLatency must be positive: " + maxWriteLatency);
        }
        this.store = store;
        this.maxWriteLatency = maxWriteLatency;
        this.nanoTime = nanoTime;
        this.w = maxWriteLatency.toNanos();
        this.d = waitNanos(maxWriteLatency);
        // a claim's writer decides within W + (D + W) + W of writing it and publishes within W more
        long decideNanos = (long) ((3 * w + d) / (1 - RHO)) + w;
        this.staleMillis = (long) (decideNanos * (1 + RHO) / 1_000_000) + STORE_CLOCK_RESOLUTION_MILLIS + 1;
    }

    /** D: a caller that wrote its claim after another's LIST must not HEAD K before the other's PUT of K landed. */
    static long waitNanos(Duration maxWriteLatency) {
        long w = maxWriteLatency.toNanos();
        return (long) Math.ceil(w * (1 + RHO) * (1 / (1 - RHO) + 1)) + 1_000_000;
    }

    Duration maxWriteLatency() {
        return maxWriteLatency;
    }

    /** How long a claim takes at least: the wait D. */
    Duration minimumDuration() {
        return Duration.ofNanos(d);
    }

    boolean create(String key, byte[] content) throws StoreException {
        String target = store.storeKey(key);
        if (store.exists0(target, key)) {
            return false;
        }
        String folder = store.claimsFolder(key);
        String id = UUID.randomUUID().toString().replace("-", "");
        String mine = folder + id;

        long s1 = nanoTime.getAsLong();
        store.put0(mine, key + " (claim)", content, true);
        long e1 = nanoTime.getAsLong();
        if (e1 - s1 > w) {
            return lose(key, mine, "writing the claim took " + millis(e1 - s1) + " ms, more than the bound");
        }
        try {
            return decide(key, content, target, folder, id, mine, e1);
        } catch (StoreException | RuntimeException e) {
            store.deleteQuietly(mine); // an orphan claim would hold others off until it is stale
            throw e;
        }
    }

    private boolean decide(String key, byte[] content, String target, String folder, String id, String mine, long e1)
            throws StoreException {
        sleepUntil(e1 + d);
        long s2 = nanoTime.getAsLong();
        if (s2 - e1 > d + w) {
            return lose(key, mine, "the wait overran by " + millis(s2 - e1 - d) + " ms (a pause?)");
        }
        List<StorageMetadata> claims = store.list0(folder);
        boolean taken = store.exists0(target, key);
        long beforePublish = nanoTime.getAsLong();
        if (taken) {
            return lose(key, mine, null);
        }
        Date myTime = null;
        boolean listed = false;
        for (StorageMetadata m : claims) {
            if (m.getName().equals(mine)) {
                listed = true;
                myTime = m.getLastModified();
            }
        }
        if (!listed) {
            return lose(key, mine, "its claim was not listed");
        }
        for (StorageMetadata m : claims) {
            String other = m.getName().substring(folder.length());
            boolean stale = myTime != null && m.getLastModified() != null
                    && m.getLastModified().getTime() < myTime.getTime() - staleMillis;
            if (!stale && other.compareTo(id) < 0) {
                return lose(key, mine, null);
            }
        }
        if (beforePublish - s2 > w) {
            return lose(key, mine, "listing the claims took " + millis(beforePublish - s2) + " ms, more than the bound");
        }
        store.put0(target, key, content, false);
        for (StorageMetadata m : claims) {
            store.deleteQuietly(m.getName());
        }
        return true;
    }

    private boolean lose(String key, String mine, String why) {
        if (why != null) {
            LOG.info("Timed claim of {} given up: {} (bound {} ms); the caller retries later", key, why,
                    maxWriteLatency.toMillis());
        }
        store.deleteQuietly(mine);
        return false;
    }

    private void sleepUntil(long deadline) throws StoreException {
        for (long left = deadline - nanoTime.getAsLong(); left > 0; left = deadline - nanoTime.getAsLong()) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted during a timed claim");
            }
        }
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
