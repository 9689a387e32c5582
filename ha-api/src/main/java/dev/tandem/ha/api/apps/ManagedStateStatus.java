package dev.tandem.ha.api.apps;

import java.util.OptionalLong;

import org.osgi.annotation.versioning.ProviderType;

/**
 * How this node's copy of the managed state is doing, for monitoring. Registered as an OSGi service by Tandem's
 * managed applications; absent when they are not installed.
 *
 * @since 1.1
 */
@ProviderType
public interface ManagedStateStatus {

    /**
     * The hot copy's lag: milliseconds since the copy last confirmed it had applied everything the journal held,
     * that is since the start of its last read of the journal's tail that reached the journal's end. Measured on
     * this node's monotonic clock only (no two machines' clocks are compared), so it is at least the time between
     * two tail reads even when nothing is written, and grows while the store cannot be read.
     *
     * @return the lag now, or empty when this node keeps no copy (the acting master, STANDBY, INITIALIZING, FAILED,
     *         TERMINATED, {@code persistMode} DISABLED, or a hot standby that has not loaded its copy yet)
     */
    OptionalLong hotCopyLagMillis();
}
