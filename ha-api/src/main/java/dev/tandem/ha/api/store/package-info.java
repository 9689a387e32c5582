/**
 * The store SPI that persistence modules implement: a small key/value blob store with an atomic
 * create-if-absent, on which the HA plane builds its claims and heartbeats.
 */
@Export
@Version("1.1.0")
package dev.tandem.ha.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
