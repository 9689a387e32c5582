package dev.tandem.ha.api.apps;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    /**
     * Every application (its root entity), in deployment order.
     *
     * @throws IllegalStateException if this node keeps no copy to read from; the message says why
     * @since 1.1
     */
    List<EntityView> applications();

    /**
     * Every entity of an application: the application first, then its descendants depth-first.
     *
     * @param application the application's id or name
     * @throws java.util.NoSuchElementException if there is no such application; the message names it and lists the
     *                                          applications there are
     * @throws IllegalStateException            if this node keeps no copy to read from
     * @since 1.1
     */
    List<EntityView> entities(String application);

    /**
     * The effectors of an entity (those of its type; empty if its type is not installed on this node).
     *
     * @throws java.util.NoSuchElementException if there is no such entity
     * @since 1.1
     */
    List<EffectorDefinition> effectors(String entityId);

    /**
     * Invokes an effector on the acting master: the task's start is durable before the effector runs, and its end
     * (result and the sensors it set) when it ends.
     *
     * @param parameters the effector's parameters by name (values are converted as {@link ParameterType#coerce} does)
     * @param wait       how long to wait for the task to end; negative: until it ends
     * @return the task, ended if it ended within {@code wait}
     * @throws java.util.NoSuchElementException if there is no such entity or effector; the message names it and what
     *                                          exists
     * @throws IllegalArgumentException         for an unknown parameter, a missing required one, or a value that does
     *                                          not convert; the message names it and what is accepted
     * @throws IllegalStateException            if this node is not the acting master, or the store did not take the
     *                                          task's start (nothing was run)
     * @since 1.1
     */
    TaskView invoke(String entityId, String effector, Map<String, Object> parameters, Duration wait);
}
