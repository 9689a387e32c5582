package dev.tandem.ha.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.HaMetrics.StoreLatency;
import dev.tandem.ha.api.store.StoreException;

/** Request counts, failures and latency histograms by kind, timed on a clock the test moves. */
class CountingPlaneStoreTest {

    private final AtomicLong nanos = new AtomicLong(1_000);
    /** Each request to the store below takes as long as the test says, on the test's clock. */
    private final AtomicLong requestTakes = new AtomicLong();
    private final InMemoryPlaneStore memory = new InMemoryPlaneStore(() -> nanos.get() / 1_000_000);
    private final SlowStore slow = new SlowStore();
    private final CountingPlaneStore store = new CountingPlaneStore(slow, nanos::get);

    @Test
    void everyRequestIsTimedInItsKindsBuckets() throws Exception {
        requestTakes.set(3_000_000); // 3 ms
        store.put("a", new byte[] {1});
        store.put("b", new byte[] {2});
        requestTakes.set(700_000_000); // 0.7 s
        store.read("a");

        StoreLatency put = store.latencies().get("put");
        assertThat(put.count()).isEqualTo(2);
        assertThat(put.sumSeconds()).isCloseTo(0.006, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(bucket(put, 0.0025)).isZero();
        assertThat(bucket(put, 0.005)).isEqualTo(2);
        assertThat(bucket(put, 10)).isEqualTo(2);

        StoreLatency read = store.latencies().get("read");
        assertThat(read.count()).isEqualTo(1);
        assertThat(bucket(read, 0.5)).isZero();
        assertThat(bucket(read, 1)).isEqualTo(1);
        assertThat(store.latencies().get("list").count()).isZero();
        assertThat(store.counts()).containsEntry("put", 2L).containsEntry("read", 1L);
    }

    @Test
    void aRequestLongerThanTheLastBoundCountsOnlyInTheTotal() throws Exception {
        requestTakes.set(11_000_000_000L);
        store.exists("a");

        StoreLatency exists = store.latencies().get("exists");
        assertThat(exists.count()).isEqualTo(1);
        assertThat(exists.buckets()).allSatisfy(b -> assertThat(b.count()).isZero());
        assertThat(exists.sumSeconds()).isEqualTo(11.0);
    }

    @Test
    void failuresAreCountedAndTimedByKind() throws Exception {
        requestTakes.set(2_000_000);
        slow.down = true;
        assertThatThrownBy(() -> store.put("a", new byte[] {1})).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.list("")).isInstanceOf(StoreException.class);
        slow.down = false;
        store.list("");

        assertThat(store.failures()).containsEntry("put", 1L).containsEntry("list", 1L).containsEntry("read", 0L);
        assertThat(store.counts()).containsEntry("failures", 2L).containsEntry("list", 2L);
        assertThat(store.latencies().get("list").count()).isEqualTo(2);
        assertThat(store.latencies().get("put").count()).isEqualTo(1);
    }

    @Test
    void bucketsAreCumulativeAndAscending() throws Exception {
        for (long ms : List.of(1L, 4L, 40L, 400L, 4000L)) {
            requestTakes.set(ms * 1_000_000);
            store.read("x");
        }
        List<StoreLatency.Bucket> buckets = store.latencies().get("read").buckets();
        assertThat(buckets).extracting(StoreLatency.Bucket::le).isSorted();
        assertThat(buckets).extracting(StoreLatency.Bucket::count).isSorted();
        assertThat(bucket(store.latencies().get("read"), 0.001)).isEqualTo(1);
        assertThat(bucket(store.latencies().get("read"), 0.05)).isEqualTo(3);
        assertThat(bucket(store.latencies().get("read"), 5)).isEqualTo(5);
    }

    /** Takes {@link #requestTakes} on the test's clock per request; fails every request while down. */
    private final class SlowStore extends ForwardingPlaneStore {
        boolean down;

        SlowStore() {
            super(memory);
        }

        @Override
        protected void before(Request request, String key) throws StoreException {
            nanos.addAndGet(requestTakes.get());
            if (down) {
                throw new StoreException("injected outage: " + request + " " + key);
            }
        }
    }

    private static long bucket(StoreLatency latency, double le) {
        return latency.buckets().stream().filter(b -> b.le() == le).findFirst().orElseThrow().count();
    }
}
