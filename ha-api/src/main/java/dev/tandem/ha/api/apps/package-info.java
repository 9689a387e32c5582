/**
 * Managed applications: the entity-type SPI that bundles implement to add types and effectors
 * ({@link dev.tandem.ha.api.apps.EntityType}), and the service through which a bundle reads and changes the
 * managed state ({@link dev.tandem.ha.api.apps.ManagedApplications}).
 */
@Export
@Version("1.1.0")
package dev.tandem.ha.api.apps;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
