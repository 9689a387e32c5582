package dev.tandem.ha.apps;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tandem.ha.api.ManagedStateStore;
import dev.tandem.ha.api.store.StoreException;

/** A managed-state store in memory that counts requests, can fail writes, and can hold a write until released. */
final class MemoryStateStore implements ManagedStateStore {
    final Map<String, byte[]> values = new ConcurrentHashMap<>();
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    volatile boolean failWrites;
    volatile CountDownLatch holdWrites;

    @Override
    public void write(String key, byte[] value) throws StoreException {
        CountDownLatch hold = holdWrites;
        if (hold != null) {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted");
            }
        }
        writes.incrementAndGet();
        if (failWrites) {
            throw new StoreException("store unavailable (test)");
        }
        values.put(key, value.clone());
    }

    @Override
    public void delete(String key) throws StoreException {
        writes.incrementAndGet();
        values.remove(key);
    }

    @Override
    public Optional<byte[]> read(String key) {
        reads.incrementAndGet();
        return Optional.ofNullable(values.get(key)).map(byte[]::clone);
    }
}
