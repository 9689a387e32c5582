package dev.tandem.ha.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.api.store.StoredObject;

/** Counts the requests made to a store, by kind, for metrics and for the request-economy tests. */
public final class CountingPlaneStore implements PlaneStore {
    private final PlaneStore delegate;
    private final LongAdder reads = new LongAdder();
    private final LongAdder heads = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder creates = new LongAdder();
    private final LongAdder deletes = new LongAdder();
    private final LongAdder lists = new LongAdder();
    private final LongAdder failures = new LongAdder();

    public CountingPlaneStore(PlaneStore delegate) {
        this.delegate = delegate;
    }

    /** Counters by kind: read (GET), exists (HEAD), put and create (PUT), delete, list, failures. */
    public Map<String, Long> counts() {
        return Map.of("read", reads.sum(), "exists", heads.sum(), "put", writes.sum(), "create", creates.sum(),
                "delete", deletes.sum(), "list", lists.sum(), "failures", failures.sum());
    }

    public long total() {
        return reads.sum() + heads.sum() + writes.sum() + creates.sum() + deletes.sum() + lists.sum();
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public ClaimSupport claimSupport() {
        return delegate.claimSupport();
    }

    @Override
    public void open(List<String> prefixes) throws StoreException {
        writes.increment();
        delegate.open(prefixes);
    }

    @Override
    public Optional<StoredObject> read(String key) throws StoreException {
        reads.increment();
        return counted(() -> delegate.read(key));
    }

    @Override
    public boolean exists(String key) throws StoreException {
        heads.increment();
        return counted(() -> delegate.exists(key));
    }

    @Override
    public void put(String key, byte[] content) throws StoreException {
        writes.increment();
        counted(() -> {
            delegate.put(key, content);
            return null;
        });
    }

    @Override
    public boolean createIfAbsent(String key, byte[] content) throws StoreException {
        creates.increment();
        return counted(() -> delegate.createIfAbsent(key, content));
    }

    @Override
    public void delete(String key) throws StoreException {
        deletes.increment();
        counted(() -> {
            delegate.delete(key);
            return null;
        });
    }

    @Override
    public List<String> list(String prefix) throws StoreException {
        lists.increment();
        return counted(() -> delegate.list(prefix));
    }

    private interface Call<T> {
        T call() throws StoreException;
    }

    private <T> T counted(Call<T> call) throws StoreException {
        try {
            return call.call();
        } catch (StoreException | RuntimeException e) {
            failures.increment();
            throw e;
        }
    }
}
