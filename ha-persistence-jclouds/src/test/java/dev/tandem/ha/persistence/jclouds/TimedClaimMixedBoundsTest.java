package dev.tandem.ha.persistence.jclouds;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.store.StoreException;

/**
 * Two nodes whose {@code tandem.store.maxWriteLatency} differ (2 s and 250 ms) claim one key, in the interleaving
 * where the smaller bound's wait is too short: the slow node X lists before the fast node Y's claim lands, and its
 * final write takes longer than Y's wait D (but less than X's own bound). Y lists X's claim, which has the higher id,
 * and HEADs the key before X's write lands. If Y went on, both would win; Y must give way to the claim made with
 * the larger bound. Real threads and clocks, an in-memory store.
 */
class TimedClaimMixedBoundsTest {
    private static final String KEY = "plane/epochs/0000000000000000001";

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<ClaimTiming> timings = new ArrayList<>();

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        timings.forEach(ClaimTiming::close);
    }

    /** One store: keys and claims in memory, shared by both nodes' backends. */
    private static final class Store {
        final Set<String> keys = ConcurrentHashMap.newKeySet();
        final Map<String, Set<String>> claims = new ConcurrentHashMap<>();
    }

    /** A node's view of the store, with hooks around its requests. */
    private static class Backend implements ClaimBackend {
        final Store store;
        final AtomicInteger heads = new AtomicInteger();

        Backend(Store store) {
            this.store = store;
        }

        @Override
        public boolean exists(String key) {
            heads.incrementAndGet();
            return store.keys.contains(key);
        }

        @Override
        public void writeClaim(String key, String id) {
            store.claims.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(id);
        }

        @Override
        public List<String> claimIds(String key) throws StoreException {
            return new ArrayList<>(store.claims.getOrDefault(key, Set.of()));
        }

        @Override
        public boolean publish(String key, byte[] content) throws StoreException {
            store.keys.add(key); // a plain overwrite: the store ignores If-None-Match
            return true;
        }

        @Override
        public void deleteClaim(String key, String id) {
            store.claims.getOrDefault(key, ConcurrentHashMap.newKeySet()).remove(id);
        }
    }

    /** Real clocks and waits, a fixed claim id. */
    private ClaimTiming timing(String id) {
        ClaimTiming t = new ThreadedClaimTiming(System::nanoTime, "claim-" + id, () -> id);
        timings.add(t);
        return t;
    }

    @Test
    void aNodeWithTheSmallerBoundGivesWayToAClaimMadeWithALargerOne() throws Exception {
        Store store = new Store();
        CountDownLatch xListed = new CountDownLatch(1);
        CountDownLatch yDecided = new CountDownLatch(1);
        Backend slow = new Backend(store) {
            @Override
            public List<String> claimIds(String key) throws StoreException {
                List<String> ids = super.claimIds(key);
                xListed.countDown(); // Y writes its claim only now: X does not list it
                return ids;
            }

            @Override
            public boolean publish(String key, byte[] content) throws StoreException {
                try {
                    // X's final write is slow: it lands after Y has decided (within X's bound of 2 s)
                    yDecided.await(1500, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.publish(key, content);
            }
        };
        Backend fast = new Backend(store) {
            @Override
            public boolean exists(String key) {
                boolean exists = super.exists(key);
                if (heads.get() == 2) {
                    yDecided.countDown(); // Y's HEAD after its LIST: X's key is not there yet
                }
                return exists;
            }

            @Override
            public boolean publish(String key, byte[] content) throws StoreException {
                yDecided.countDown();
                return super.publish(key, content);
            }

            @Override
            public void deleteClaim(String key, String id) {
                yDecided.countDown(); // Y lost (it deletes its own claim)
                super.deleteClaim(key, id);
            }
        };
        TimedClaim x = new TimedClaim(slow, Duration.ofSeconds(2), timing("ffff"));
        TimedClaim y = new TimedClaim(fast, Duration.ofMillis(250), timing("0000"));

        Future<Boolean> xWon = pool.submit(() -> x.create(KEY, new byte[] {1}));
        assertThat(xListed.await(10, TimeUnit.SECONDS)).as("X listed").isTrue();
        Future<Boolean> yWon = pool.submit(() -> y.create(KEY, new byte[] {2}));

        boolean yResult = yWon.get(10, TimeUnit.SECONDS);
        Boolean xResult;
        try {
            xResult = xWon.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            xResult = null; // outcome unknown (a loaded machine made X's write slower than its bound): not a win
        }
        assertThat(Boolean.TRUE.equals(xResult) && yResult).as("two callers won the key").isFalse();
        assertThat(yResult).as("Y listed a live claim made with a larger bound than its own: it must not win").isFalse();
    }
}
