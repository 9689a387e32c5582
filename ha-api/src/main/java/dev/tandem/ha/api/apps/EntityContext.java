package dev.tandem.ha.api.apps;

import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** What an effector sees of its entity while it runs on the master. */
@ProviderType
public interface EntityContext {

    String entityId();

    String applicationId();

    /** The entity's config as deployed or last set. */
    Map<String, Object> config();

    /** A sensor's current value, including values set earlier in this effector. */
    Optional<Object> sensor(String name);

    /**
     * Sets a sensor. The value is visible to {@link #sensor} at once and is persisted, together with the
     * effector's result, when the effector ends.
     */
    void setSensor(String name, Object value);
}
