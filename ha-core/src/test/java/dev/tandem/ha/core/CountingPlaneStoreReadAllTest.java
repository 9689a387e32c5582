package dev.tandem.ha.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.api.store.StoredObject;

/** The counting wrapper that every production store is wrapped in passes each request on, readAll included. */
class CountingPlaneStoreReadAllTest {

    /** A store whose readAll is observable: it records each call, and reads nothing one key at a time. */
    private static final class BatchReadingStore implements PlaneStore {
        final InMemoryPlaneStore objects = new InMemoryPlaneStore(() -> 1L);
        final List<List<String>> readAllCalls = new ArrayList<>();
        int singleReads;
        boolean failing;

        @Override
        public String describe() {
            return "batch";
        }

        @Override
        public ClaimSupport claimSupport() {
            return ClaimSupport.ATOMIC;
        }

        @Override
        public void open(List<String> prefixes) {
        }

        @Override
        public Optional<StoredObject> read(String key) {
            singleReads++;
            return objects.read(key);
        }

        @Override
        public List<Optional<StoredObject>> readAll(List<String> keys) throws StoreException {
            readAllCalls.add(List.copyOf(keys));
            if (failing) {
                throw new StoreException("injected: readAll failed");
            }
            List<Optional<StoredObject>> out = new ArrayList<>();
            for (String k : keys) {
                out.add(objects.read(k));
            }
            return out;
        }

        @Override
        public boolean exists(String key) {
            return objects.exists(key);
        }

        @Override
        public void put(String key, byte[] content) {
            objects.put(key, content);
        }

        @Override
        public boolean createIfAbsent(String key, byte[] content) {
            return objects.createIfAbsent(key, content);
        }

        @Override
        public void delete(String key) {
            objects.delete(key);
        }

        @Override
        public List<String> list(String prefix) {
            return objects.list(prefix);
        }
    }

    @Test
    void readAllIsForwardedAsOneCallAndCountedOneReadPerKey() throws Exception {
        BatchReadingStore delegate = new BatchReadingStore();
        delegate.put("plane/nodes/a", "A".getBytes(StandardCharsets.UTF_8));
        delegate.put("plane/nodes/c", "C".getBytes(StandardCharsets.UTF_8));
        CountingPlaneStore counting = new CountingPlaneStore(delegate);

        List<Optional<StoredObject>> read = counting.readAll(List.of("plane/nodes/a", "plane/nodes/b", "plane/nodes/c"));

        assertThat(read).hasSize(3);
        assertThat(read.get(1)).isEmpty();
        assertThat(new String(read.get(2).orElseThrow().content(), StandardCharsets.UTF_8)).isEqualTo("C");
        assertThat(delegate.readAllCalls).as("the delegate's own (concurrent) readAll is used")
                .containsExactly(List.of("plane/nodes/a", "plane/nodes/b", "plane/nodes/c"));
        assertThat(delegate.singleReads).as("reads one key at a time").isZero();
        assertThat(counting.counts()).containsEntry("read", 3L).containsEntry("failures", 0L);
        assertThat(counting.total()).isEqualTo(3);
    }

    @Test
    void aFailedReadAllIsOneFailureAndTheHookSeesEveryKey() throws Exception {
        BatchReadingStore delegate = new BatchReadingStore();
        delegate.failing = true;
        List<String> seen = new ArrayList<>();
        ForwardingPlaneStore hooked = new ForwardingPlaneStore(delegate) {
            @Override
            protected void before(Request request, String key) {
                seen.add(request + " " + key);
            }
        };
        CountingPlaneStore counting = new CountingPlaneStore(hooked);
        assertThatThrownBy(() -> counting.readAll(List.of("plane/nodes/a", "plane/nodes/b")))
                .isInstanceOf(StoreException.class);
        assertThat(seen).containsExactly("READ plane/nodes/a", "READ plane/nodes/b");
        assertThat(delegate.readAllCalls).hasSize(1);
        assertThat(counting.counts()).containsEntry("read", 2L).containsEntry("failures", 1L);
    }
}
