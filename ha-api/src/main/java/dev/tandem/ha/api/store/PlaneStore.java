package dev.tandem.ha.api.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The store SPI: a flat key/value blob store shared by every node of a plane. Keys are relative paths
 * made of {@code [A-Za-z0-9._-]} segments joined by {@code /}.
 *
 * <p>Implementations must give read-after-write consistency: once a {@code put} or
 * {@code createIfAbsent} has returned, every later {@code read}, {@code exists} or {@code list}, from any
 * node, sees it. The HA protocol's safety rests on that and on the atomicity of
 * {@link #createIfAbsent}.
 *
 * <p>Writes are never resent after an ambiguous failure. A {@code put} or {@code createIfAbsent} whose
 * outcome is unknown (a timeout, a reset connection or a 5xx answer after the request may have reached the
 * store) fails with {@link StoreException} and is not sent again by the store: a first attempt held in the
 * network could otherwise land after a later write and bring old bytes back (a heartbeat seen twice). A
 * store may retry a write only after a failure that proves it was not applied (the connection could not be
 * made; the store refused it before processing it, e.g. HTTP 429 or S3's 503 SlowDown). Reads, existence
 * checks, listings and deletes may be retried after any transient failure. The caller repeats a failed
 * write with new content at its next poll.
 */
@ConsumerType
public interface PlaneStore {

    /** How {@link #createIfAbsent} is carried out. */
    enum ClaimSupport {
        /** The store creates an object only if absent, atomically (filesystem link, S3 If-None-Match). */
        ATOMIC,
        /** The store has no conditional write: claims need the protocol's timed claim. */
        NONE
    }

    /** A description for logs and metrics (type and location), never containing credentials. */
    String describe();

    ClaimSupport claimSupport();

    /**
     * Makes the store ready for keys under the given prefixes: creates the container (blob stores) or the
     * folders (folder stores) if missing. Called once when a node joins the plane; later writes never
     * create them, so a store that has gone away (an unmounted share, a deleted bucket) shows as an
     * outage instead of as a new, empty store.
     */
    void open(List<String> prefixes) throws StoreException;

    /** Reads an object, or empty if there is none. */
    Optional<StoredObject> read(String key) throws StoreException;

    /**
     * Reads several objects: one entry per key, in the keys' order, empty where there is none. An
     * election reads every node record, and its duration adds to the failover time, so stores with network
     * latency should issue the reads concurrently. The default reads them one after another.
     *
     * @throws StoreException if any of the reads failed
     * @since 1.1
     */
    default List<Optional<StoredObject>> readAll(List<String> keys) throws StoreException {
        List<Optional<StoredObject>> out = new ArrayList<>(keys.size());
        for (String key : keys) {
            out.add(read(key));
        }
        return out;
    }

    /** Whether an object exists (a HEAD where the store has one). */
    boolean exists(String key) throws StoreException;

    /**
     * Writes an object, replacing any existing one atomically (readers see the old or the new bytes). The
     * write is never resent by the store after an ambiguous failure (see above): a {@link StoreException}
     * means it may or may not have been applied.
     */
    void put(String key, byte[] content) throws StoreException;

    /**
     * Creates an object only if no object has the key. With {@link ClaimSupport#ATOMIC}, at most one of
     * any number of concurrent callers for one key gets {@code true}. A {@link StoreException} means the
     * object may or may not have been created by this call; the caller finds out by reading it.
     *
     * @return true if this call created the object
     */
    boolean createIfAbsent(String key, byte[] content) throws StoreException;

    /** Deletes an object; deleting an absent key is not an error. */
    void delete(String key) throws StoreException;

    /** The keys directly or indirectly under a prefix (which should end with {@code /}), in key order. */
    List<String> list(String prefix) throws StoreException;
}
