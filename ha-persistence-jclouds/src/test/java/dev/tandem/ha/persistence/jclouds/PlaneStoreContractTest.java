package dev.tandem.ha.persistence.jclouds;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.api.store.StoredObject;

/**
 * The contract of {@link PlaneStore} (its javadoc), run against every implementation by a small subclass:
 * the folder store, jclouds transient, jclouds filesystem and jclouds s3 on S3Proxy. Each test gets a fresh
 * store location from {@link #newLocation()}; {@link #peer()} opens another store instance on the same
 * location, as another node would.
 */
abstract class PlaneStoreContractTest {
    static final List<String> PREFIXES = List.of("plane/nodes/", "plane/epochs/", "plane/nodesX/");

    protected PlaneStore store;

    /** Prepares a fresh, empty location for one test and returns the store of the first "node" on it. */
    protected abstract PlaneStore newLocation() throws Exception;

    /** Another store instance on the current location (another node's view of it). */
    protected abstract PlaneStore peer() throws Exception;

    /** Makes the current location go away (an unmounted share, a deleted bucket). */
    protected abstract void makeStoreDisappear() throws Exception;

    /** Brings it back, empty or as it was. */
    protected abstract void bringStoreBack() throws Exception;

    /** What claimSupport() must say once opened. */
    protected abstract PlaneStore.ClaimSupport expectedClaimSupport();

    /** Releases the location's resources (contexts); stores made by peer() included. */
    protected void cleanUp() throws Exception {}

    @BeforeEach
    void setUpStore() throws Exception {
        store = newLocation();
        store.open(PREFIXES);
        System.out.println(getClass().getSimpleName() + ": " + store.describe());
    }

    @AfterEach
    void tearDownStore() throws Exception {
        cleanUp();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static String text(Optional<StoredObject> o) {
        return o.map(s -> new String(s.content(), UTF_8)).orElse(null);
    }

    @Test
    void putReadExistsDelete() throws Exception {
        assertThat(store.read("plane/nodes/a")).isEmpty();
        assertThat(store.exists("plane/nodes/a")).isFalse();

        store.put("plane/nodes/a", bytes("one"));
        assertThat(text(store.read("plane/nodes/a"))).isEqualTo("one");
        assertThat(store.read("plane/nodes/a").orElseThrow().key()).isEqualTo("plane/nodes/a");
        assertThat(store.exists("plane/nodes/a")).isTrue();

        store.put("plane/nodes/a", bytes("two"));
        assertThat(text(store.read("plane/nodes/a"))).isEqualTo("two");

        store.put("plane/nodes/empty", new byte[0]);
        assertThat(store.read("plane/nodes/empty").orElseThrow().content()).isEmpty();

        store.delete("plane/nodes/a");
        assertThat(store.read("plane/nodes/a")).isEmpty();
        assertThat(store.exists("plane/nodes/a")).isFalse();
        store.delete("plane/nodes/a"); // absent: not an error
    }

    @Test
    void readAllAnswersEachKeyInOrder() throws Exception {
        assertThat(store.readAll(List.of())).isEmpty();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            keys.add("plane/nodes/n" + i);
            if (i % 3 != 1) {
                store.put("plane/nodes/n" + i, bytes("v" + i));
            }
        }
        List<String> reversed = new ArrayList<>(keys);
        java.util.Collections.reverse(reversed);
        List<Optional<StoredObject>> read = store.readAll(reversed);
        assertThat(read).hasSize(20);
        for (int i = 0; i < 20; i++) {
            int n = 19 - i;
            assertThat(text(read.get(i))).as(reversed.get(i)).isEqualTo(n % 3 != 1 ? "v" + n : null);
        }
        assertThat(text(store.readAll(List.of("plane/nodes/n0")).get(0))).isEqualTo("v0");
    }

    @Test
    void writesAreSeenByOtherInstances() throws Exception {
        PlaneStore other = peer();
        other.open(PREFIXES);
        store.put("plane/nodes/a", bytes("from-first"));
        assertThat(text(other.read("plane/nodes/a"))).isEqualTo("from-first");
        assertThat(other.list("plane/nodes/")).containsExactly("plane/nodes/a");
        other.put("plane/nodes/a", bytes("from-second"));
        assertThat(text(store.read("plane/nodes/a"))).isEqualTo("from-second");
    }

    @Test
    void listsKeysUnderAPrefixInOrder() throws Exception {
        assertThat(store.list("plane/nodes/")).isEmpty();
        for (String k : List.of("plane/nodes/c", "plane/nodes/a", "plane/nodes/b", "plane/epochs/0000000000000000002",
                "plane/epochs/0000000000000000001", "plane/planeId", "plane/nodesX/z")) {
            store.put(k, bytes(k));
        }
        assertThat(store.list("plane/nodes/")).containsExactly("plane/nodes/a", "plane/nodes/b", "plane/nodes/c");
        assertThat(store.list("plane/epochs/")).containsExactly("plane/epochs/0000000000000000001",
                "plane/epochs/0000000000000000002");
        assertThat(store.list("plane/")).contains("plane/planeId", "plane/nodesX/z").hasSize(7).isSorted();
        store.delete("plane/nodes/b");
        assertThat(store.list("plane/nodes/")).containsExactly("plane/nodes/a", "plane/nodes/c");
    }

    @Test
    void listsManyKeys() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String k = String.format("plane/nodes/n%03d", i);
            store.put(k, bytes("x"));
            expected.add(k);
        }
        assertThat(store.list("plane/nodes/")).containsExactlyElementsOf(expected);
    }

    @Test
    void putReplacesAtomically() throws Exception {
        byte[] a = new byte[64 * 1024];
        byte[] b = new byte[96 * 1024];
        Arrays.fill(a, (byte) 'a');
        Arrays.fill(b, (byte) 'b');
        store.put("plane/nodes/r", a);
        PlaneStore reader = peer();
        reader.open(PREFIXES);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger writes = new AtomicInteger();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> writer = pool.submit(() -> {
                while (!stop.get()) {
                    store.put("plane/nodes/r", writes.incrementAndGet() % 2 == 0 ? a : b);
                }
                return null;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int reads = 0;
            while ((reads < 60 || writes.get() < 20) && System.nanoTime() - deadline < 0) {
                byte[] seen = reader.read("plane/nodes/r").orElseThrow().content();
                assertThat(Arrays.equals(seen, a) || Arrays.equals(seen, b))
                        .as("read %d saw %d bytes, neither the old nor the new object", reads, seen.length).isTrue();
                reads++;
            }
            stop.set(true);
            writer.get(30, TimeUnit.SECONDS);
            assertThat(writes.get()).as("writes during the reads").isGreaterThanOrEqualTo(20);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    @Test
    void createIfAbsentCreatesOnce() throws Exception {
        assertThat(store.claimSupport()).isEqualTo(expectedClaimSupport());
        assertThat(store.createIfAbsent("plane/epochs/0000000000000000001", bytes("first"))).isTrue();
        assertThat(store.createIfAbsent("plane/epochs/0000000000000000001", bytes("second"))).isFalse();
        assertThat(text(store.read("plane/epochs/0000000000000000001"))).isEqualTo("first");
        assertThat(store.list("plane/epochs/")).containsExactly("plane/epochs/0000000000000000001");
        store.put("plane/planeId", bytes("p"));
        assertThat(store.createIfAbsent("plane/planeId", bytes("q"))).isFalse();
        assertThat(text(store.read("plane/planeId"))).isEqualTo("p");
    }

    /** Concurrent writers on separate store instances: never two winners; one winner in at most three rounds. */
    @Test
    void concurrentCreateIfAbsentHasOneWinner() throws Exception {
        int writers = 4;
        List<PlaneStore> stores = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            PlaneStore s = peer();
            s.open(PREFIXES);
            stores.add(s);
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            boolean oneWinner = false;
            for (int round = 1; round <= 3 && !oneWinner; round++) {
                String key = "plane/epochs/000000000000000000" + round;
                CyclicBarrier start = new CyclicBarrier(writers);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    PlaneStore s = stores.get(i);
                    byte[] content = bytes("writer-" + i);
                    Callable<Boolean> c = () -> {
                        start.await(10, TimeUnit.SECONDS);
                        return s.createIfAbsent(key, content);
                    };
                    results.add(pool.submit(c));
                }
                List<Integer> winners = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    if (results.get(i).get(60, TimeUnit.SECONDS)) {
                        winners.add(i);
                    }
                }
                assertThat(winners).as("winners of round %d", round).hasSizeLessThanOrEqualTo(1);
                if (winners.size() == 1) {
                    oneWinner = true;
                    assertThat(text(store.read(key))).isEqualTo("writer-" + winners.get(0));
                    for (PlaneStore s : stores) {
                        assertThat(s.createIfAbsent(key, bytes("late"))).isFalse();
                    }
                    assertThat(text(store.read(key))).isEqualTo("writer-" + winners.get(0));
                }
            }
            assertThat(oneWinner).as("a round with exactly one winner").isTrue();
            assertThat(store.list("plane/")).allMatch(k -> k.startsWith("plane/epochs/"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lastModifiedIsTheStoresClockAndDoesNotGoBack() throws Exception {
        long before = System.currentTimeMillis();
        store.put("plane/nodes/t", bytes("1"));
        long first = store.read("plane/nodes/t").orElseThrow().lastModified();
        // the store's clock is this machine's here; allow for second resolution (S3's Last-Modified)
        assertThat(first).isBetween(before - 2_000, System.currentTimeMillis() + 2_000);
        store.put("plane/nodes/t", bytes("2"));
        long second = store.read("plane/nodes/t").orElseThrow().lastModified();
        assertThat(second).isGreaterThanOrEqualTo(first);
    }

    @Test
    void openIsIdempotentAndKeepsTheContent() throws Exception {
        store.put("plane/nodes/a", bytes("kept"));
        store.open(PREFIXES);
        PlaneStore other = peer();
        other.open(PREFIXES);
        other.open(PREFIXES);
        assertThat(text(store.read("plane/nodes/a"))).isEqualTo("kept");
        assertThat(store.claimSupport()).isEqualTo(expectedClaimSupport());
    }

    /** Writes never re-create a vanished store: it shows as an outage until it comes back. */
    @Test
    void aStoreThatDisappearsFailsUntilItComesBack() throws Exception {
        store.put("plane/nodes/a", bytes("before"));
        makeStoreDisappear();

        assertThatThrownBy(() -> store.put("plane/nodes/a", bytes("during"))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.read("plane/nodes/a")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.list("plane/nodes/")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.readAll(List.of("plane/nodes/a", "plane/nodes/b"))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.createIfAbsent("plane/epochs/0000000000000000001", bytes("c")))
                .isInstanceOf(StoreException.class);
        // a HEAD cannot tell a missing key from a missing bucket on S3: exists() may say false, never true
        try {
            assertThat(store.exists("plane/nodes/a")).isFalse();
        } catch (StoreException expected) {
            // the folder and local jclouds stores know the container is gone
        }
        // the failed put did not create it again
        assertThatThrownBy(() -> store.read("plane/nodes/a")).isInstanceOf(StoreException.class);

        bringStoreBack();
        store.put("plane/nodes/a", bytes("after"));
        assertThat(text(store.read("plane/nodes/a"))).isEqualTo("after");
        assertThat(store.list("plane/nodes/")).contains("plane/nodes/a");
    }

    @Test
    void refusesInvalidKeys() {
        for (String bad : List.of("", "/a", "a/", "a//b", "a/../b", "a b", "a\\b")) {
            assertThatThrownBy(() -> store.put(bad, bytes("x"))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
