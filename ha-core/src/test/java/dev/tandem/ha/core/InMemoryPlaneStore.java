package dev.tandem.ha.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.api.store.StoredObject;

/** A linearizable in-memory store whose timestamps come from the test's clock. */
final class InMemoryPlaneStore implements PlaneStore {
    private final TreeMap<String, StoredObject> objects = new TreeMap<>();
    private final LongSupplier millis;

    InMemoryPlaneStore(LongSupplier millis) {
        this.millis = millis;
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public ClaimSupport claimSupport() {
        return ClaimSupport.ATOMIC;
    }

    @Override
    public void open(List<String> prefixes) {
        // nothing to create
    }

    @Override
    public synchronized Optional<StoredObject> read(String key) {
        return Optional.ofNullable(objects.get(key));
    }

    @Override
    public synchronized boolean exists(String key) {
        return objects.containsKey(key);
    }

    @Override
    public synchronized void put(String key, byte[] content) {
        objects.put(key, new StoredObject(key, content.clone(), millis.getAsLong()));
    }

    @Override
    public synchronized boolean createIfAbsent(String key, byte[] content) {
        if (objects.containsKey(key)) {
            return false;
        }
        put(key, content);
        return true;
    }

    @Override
    public synchronized void delete(String key) {
        objects.remove(key);
    }

    @Override
    public synchronized List<String> list(String prefix) {
        return List.copyOf(objects.subMap(prefix, prefix + Character.MAX_VALUE).keySet());
    }

    synchronized Map<String, StoredObject> snapshot() {
        return Map.copyOf(objects);
    }

    /** Writes raw bytes, as a broken or foreign writer would. */
    synchronized void putRaw(String key, byte[] content) {
        put(key, content);
    }
}
