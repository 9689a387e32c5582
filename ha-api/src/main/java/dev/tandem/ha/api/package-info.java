/**
 * Tandem's public model: HA modes, node states, node records, the immutable plane view and the
 * {@link dev.tandem.ha.api.HighAvailabilityService}.
 */
@Export
@Version("1.4.0")
package dev.tandem.ha.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
