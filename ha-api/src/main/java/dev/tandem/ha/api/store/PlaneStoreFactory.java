package dev.tandem.ha.api.store;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

import dev.tandem.ha.api.InvalidValueException;

/**
 * Makes {@link PlaneStore}s for a {@code persistenceLocation} other than the local filesystem. Registered
 * as an OSGi service by a persistence module (e.g. {@code ha-persistence-jclouds}); Tandem's core uses the
 * one that accepts the configured location.
 */
@ConsumerType
public interface PlaneStoreFactory {

    /**
     * Whether this factory makes stores for the location: a named location
     * ({@code brooklyn.location.named.NAME} defined in {@code brooklynProperties}) or a spec such as
     * {@code jclouds:PROVIDER[:ENDPOINT]}.
     */
    boolean accepts(String persistenceLocation, Map<String, ?> brooklynProperties);

    /**
     * Makes a store for the location and {@code persistenceDir} ({@code container[/prefix]}). It must not
     * make requests yet: {@link PlaneStore#open} is called when the node joins.
     *
     * @throws InvalidValueException naming the bad key, its value (never a credential) and what is
     *         accepted: an undefined name, an unknown provider, missing credentials, a bad container
     */
    PlaneStore create(String persistenceLocation, String persistenceDir, Map<String, ?> brooklynProperties);
}
