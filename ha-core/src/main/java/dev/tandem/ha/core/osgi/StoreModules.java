package dev.tandem.ha.core.osgi;

import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.InvalidValueException;
import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.PlaneStoreFactory;
import dev.tandem.ha.core.FolderPlaneStore;
import dev.tandem.ha.core.HaSettings;

/**
 * The store a configuration asks for: the local folder, or one that an installed store module (jclouds, ...) makes
 * for a non-empty persistenceLocation.
 */
final class StoreModules {
    private static final Logger LOG = LoggerFactory.getLogger(StoreModules.class);

    /** A store opened for a configuration, and the module that made it (null for the folder). */
    record Opened(PlaneStore store, PlaneStoreFactory factory) {}

    /** No store for the configuration now; the message says why (it is logged already). */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    private final CopyOnWriteArrayList<PlaneStoreFactory> factories = new CopyOnWriteArrayList<>();

    void add(PlaneStoreFactory factory) {
        factories.add(factory);
    }

    void remove(PlaneStoreFactory factory) {
        factories.remove(factory);
    }

    Opened open(HaSettings s, Map<String, Object> rawProperties) throws Unavailable {
        if (s.folderStore()) {
            return new Opened(new FolderPlaneStore(s.persistenceDir()), null);
        }
        PlaneStoreFactory factory = factories.stream()
                .filter(f -> f.accepts(s.persistenceLocation(), rawProperties)).findFirst().orElse(null);
        if (factory == null) {
            String reason = "no installed store module accepts persistenceLocation '" + s.persistenceLocation()
                    + "'; accepted: empty (the local filesystem), a location named by brooklyn.location.named.NAME in "
                    + "etc/brooklyn.cfg, or jclouds:PROVIDER[:ENDPOINT] (these need feature tandem-jclouds)";
            // at start the store modules may simply not be bound yet: a module added later starts the node
            if (factories.isEmpty()) {
                LOG.info("Tandem HA: waiting for a store module (feature tandem-jclouds) to accept "
                        + "persistenceLocation '{}'", s.persistenceLocation());
            } else {
                LOG.warn("Tandem HA: {}; the node stays out of the plane until a store module accepts it", reason);
            }
            throw new Unavailable(reason);
        }
        try {
            return new Opened(factory.create(s.persistenceLocation(), s.persistenceDirSpec(), rawProperties), factory);
        } catch (InvalidValueException e) {
            String reason = "invalid store configuration, node stays out of the plane: " + e.getMessage();
            LOG.error("Tandem HA: {}", reason);
            throw new Unavailable(reason);
        }
    }
}
