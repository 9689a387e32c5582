package dev.tandem.ha.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import dev.tandem.ha.api.store.StoreException;

/**
 * Managed state as the master writes it, fenced by the mastership epoch (see docs/ha-protocol.md). Registered
 * as an OSGi service by Tandem's core.
 *
 * <p>A write is accepted only from the acting master, carries its epoch, and is acknowledged only once
 * it is durable in the store and the master's lease was still valid when it completed: an acknowledged
 * write survives any failover. Once a newer master has written, nothing an older master writes later (a
 * paused process waking up, a request that lingered in the network) is ever read as current.
 */
@ProviderType
public interface ManagedStateStore {

    /**
     * Writes a value under this node's mastership.
     *
     * @throws IllegalStateException if this node is not the acting master (nothing was written)
     * @throws StoreException if the store failed or mastership was lost during the write: the write may
     *         or may not have been applied, as for any failed remote call
     */
    void write(String key, byte[] value) throws StoreException;

    /** Deletes a key under this node's mastership (same guarantees as {@link #write}). */
    void delete(String key) throws StoreException;

    /** The current value of a key, as any node reads it. */
    Optional<byte[]> read(String key) throws StoreException;

    /**
     * Reads keys in their order, as {@link #read} reads each, and stops at the first one that is absent: the values
     * of the keys before it. A store may judge them all at one look at the plane's fencing, which makes reading a
     * run of keys (a journal's new entries) cheaper than reading each on its own.
     *
     * @return the values of the leading keys that are present, in order (empty if the first one is absent)
     * @since 1.4
     */
    default List<byte[]> readUntilAbsent(List<String> keys) throws StoreException {
        List<byte[]> values = new ArrayList<>();
        for (String key : keys) {
            Optional<byte[]> value = read(key);
            if (value.isEmpty()) {
                break;
            }
            values.add(value.get());
        }
        return values;
    }

    /**
     * Does a small, bounded piece of deferred cleanup on the acting master (deleting stored versions that can never
     * be read again), so that writers can call it in their idle moments instead of paying for it in each write.
     * Changes nothing any read returns.
     *
     * @return whether it did anything (call again while it does)
     * @since 1.3
     */
    default boolean tidyUp() throws StoreException {
        return false;
    }
}
