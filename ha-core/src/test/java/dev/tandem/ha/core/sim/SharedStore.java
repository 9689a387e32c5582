package dev.tandem.ha.core.sim;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import dev.tandem.ha.api.store.StoredObject;

/** The store's contents: linearizable, stamped by the store's own clock (the simulation's time). */
final class SharedStore {
    private final TreeMap<String, StoredObject> objects = new TreeMap<>();
    private final LongSupplier millis;
    /** A whole-store outage: requests that reach it fail. */
    boolean down;
    /** A store-wide latency fault: every request may take up to this much longer. */
    long extraLatencyNanos;
    /** When each object was last written, in simulation nanos (for the fencing check). */
    final java.util.Map<String, Long> writtenAt = new java.util.HashMap<>();
    private final LongSupplier nanos;
    /** How many writes and deletes the store has taken: the checker re-reads the state only when it changed. */
    long mutations;

    SharedStore(LongSupplier millis, LongSupplier nanos) {
        this.millis = millis;
        this.nanos = nanos;
    }

    Optional<StoredObject> read(String key) {
        return Optional.ofNullable(objects.get(key));
    }

    void put(String key, byte[] content) {
        objects.put(key, new StoredObject(key, content.clone(), millis.getAsLong()));
        writtenAt.put(key, nanos.getAsLong());
        mutations++;
    }

    boolean createIfAbsent(String key, byte[] content) {
        if (objects.containsKey(key)) {
            return false;
        }
        put(key, content);
        return true;
    }

    void delete(String key) {
        objects.remove(key);
        mutations++;
    }

    List<String> list(String prefix) {
        return List.copyOf(objects.subMap(prefix, prefix + Character.MAX_VALUE).keySet());
    }
}
