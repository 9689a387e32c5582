package dev.tandem.ha.api.apps;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import dev.tandem.ha.api.store.StoreException;

/**
 * The managed applications of this node, registered as an OSGi service by Tandem. Reads answer from this
 * node's copy (the master's model, or a hot standby's read-only copy); writes are accepted on the acting master
 * only and return once they are durable in the store.
 */
@ProviderType
public interface ManagedApplications {

    /** Whether this node holds a copy it may serve reads from (MASTER, HOT_STANDBY, HOT_BACKUP with a copy). */
    boolean readable();

    /**
     * Whether a write would be accepted now: this node is the acting master and has taken the managed state over
     * (its model holds every acknowledged write). A component that reads a value to write the next one (a counter)
     * checks this before it reads, so that it never computes from a copy that is still catching up.
     *
     * @since 1.1
     */
    boolean writable();

    /** Every entity of the given type, in every application. */
    List<EntityView> entitiesOfType(String typeId);

    Optional<EntityView> entity(String entityId);

    /**
     * Sets a sensor of an entity, durably.
     *
     * @throws IllegalStateException if this node is not the acting master (nothing was written)
     * @throws java.util.NoSuchElementException if there is no such entity
     * @throws StoreException if the store did not take the write (nothing was applied)
     */
    void setSensor(String entityId, String sensor, Object value) throws StoreException;
}
