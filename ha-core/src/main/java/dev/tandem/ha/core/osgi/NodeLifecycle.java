package dev.tandem.ha.core.osgi;

import java.nio.file.Path;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.store.PlaneStoreFactory;
import dev.tandem.ha.core.HaClock;
import dev.tandem.ha.core.HaSettings;
import dev.tandem.ha.core.InvalidSettingsException;

/**
 * The life of this Karaf's HA node across configurations and store modules: it starts the node from the first
 * valid configuration, applies a later change in place or by leaving the plane and rejoining, refuses a bad edit
 * (keeping the previous configuration), waits for the store module that a configuration asks for, and leaves the
 * plane for good when the framework stops. A bad configuration at first start leaves no node and says why.
 *
 * <p>Every change happens under one lock; readers ({@link #running()}, {@link #opening()}, {@link #settings()},
 * {@link #configurationError()}) never take it, so that a reader never waits for a store being opened or left.
 */
final class NodeLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycle.class);

    private final Path baseDir;
    private final String version;
    private final HaClock clock;
    /** Registers the master condition (null: none, in plain-Java tests). */
    private final MasterCondition.Registrar conditionRegistrar;
    private final StateEvents stateEvents;
    private final StoreModules stores = new StoreModules();
    private final Object lock = new Object();

    private volatile HaSettings settings;
    private Map<String, Object> rawProperties = Map.of(); // guarded by lock
    /** Written under {@code lock}, read without it. */
    private volatile RunningNode running;
    /** True while {@link #startNode} makes the store (a jclouds context takes a while): the node is INITIALIZING. */
    private volatile boolean opening;
    private boolean shuttingDown; // guarded by lock
    private volatile String configurationError;

    NodeLifecycle(Path baseDir, String version, HaClock clock, MasterCondition.Registrar conditionRegistrar,
            StateEvents stateEvents) {
        this.baseDir = baseDir;
        this.version = version;
        this.clock = clock;
        this.conditionRegistrar = conditionRegistrar;
        this.stateEvents = stateEvents;
    }

    /** The running node, or null (not configured, no store, stopped). */
    RunningNode running() {
        return running;
    }

    /** True while a store is being opened for the node. */
    boolean opening() {
        return opening;
    }

    /** The configuration in force, or null before the first valid one. */
    HaSettings settings() {
        return settings;
    }

    /** Why there is no node, or null. */
    String configurationError() {
        return configurationError;
    }

    /** The first configuration (the component's activation). */
    void configure(Map<String, Object> properties) {
        try {
            HaSettings first = HaSettings.from(properties, baseDir);
            synchronized (lock) {
                settings = first;
                rawProperties = Map.copyOf(properties);
                startNode(first);
            }
        } catch (InvalidSettingsException e) {
            configurationError = "invalid configuration, node stays out of the plane: " + e.getMessage();
            LOG.error("Tandem HA: {}. Fix etc/org.apache.brooklyn.osgilauncher.cfg or etc/brooklyn.cfg; the change "
                    + "is picked up without a restart.", configurationError);
        }
    }

    /** A later configuration: applied in place, by leaving and rejoining (mode or store), or refused if invalid. */
    void modified(Map<String, Object> properties) {
        HaSettings next;
        try {
            next = HaSettings.from(properties, baseDir);
        } catch (InvalidSettingsException e) {
            if (settings == null) {
                configurationError = "invalid configuration, node stays out of the plane: " + e.getMessage();
                LOG.error("Tandem HA: {}", configurationError);
            } else {
                LOG.error("Tandem HA: configuration change refused, keeping the previous configuration: {}", e.getMessage());
            }
            return;
        }
        synchronized (lock) {
            configurationError = null;
            rawProperties = Map.copyOf(properties);
            if (settings == null || running == null) {
                settings = next;
                startNode(next);
            } else if (settings.needsRejoin(next)) {
                LOG.info("Tandem HA: mode or store changed; leaving the plane and rejoining");
                opening = true; // INITIALIZING from now on, not FAILED between the two
                try {
                    stopNode();
                    settings = next;
                    startNode(next);
                } finally {
                    opening = false;
                }
            } else if (!settings.equals(next)) {
                settings = next;
                running.runner.update(next);
                LOG.info("Tandem HA: configuration updated in place (poll {}, timeout {}, priority {})",
                        next.pollPeriod(), next.heartbeatTimeout(), next.priority());
            }
        }
    }

    /** The framework is stopping: leave the plane now, before Karaf stops the other bundles, and stay out. */
    void leaveForShutdown() {
        synchronized (lock) {
            shuttingDown = true;
            if (running != null) {
                LOG.info("Tandem HA: Karaf is stopping: this node leaves the plane first, so that a standby takes over now");
                stopNode();
            }
        }
    }

    /** The component goes away: the node leaves the plane. */
    void stop() {
        synchronized (lock) {
            stopNode();
        }
    }

    /** A store module (jclouds, ...) came: a configuration that was waiting for one starts its node now. */
    void addStoreFactory(PlaneStoreFactory factory) {
        stores.add(factory);
        synchronized (lock) {
            if (running == null && settings != null && !settings.folderStore()) {
                configurationError = null;
                startNode(settings); // the store this configuration asks for is now available
            }
        }
    }

    /** A store module went: a node whose store it made leaves the plane. */
    void removeStoreFactory(PlaneStoreFactory factory) {
        stores.remove(factory);
        synchronized (lock) {
            RunningNode node = running;
            if (node != null && factory == node.madeBy) {
                LOG.warn("Tandem HA: the store factory in use went away; leaving the plane");
                stopNode();
                configurationError = "persistenceLocation '" + settings.persistenceLocation()
                        + "' needs a store module that is no longer installed (feature tandem-jclouds)";
            }
        }
    }

    /** Readers stop seeing the node before it leaves: they get "not running" at once, not a node that is going. */
    private void stopNode() {
        RunningNode node = running;
        running = null;
        if (node != null) {
            node.stop();
        }
    }

    /** Called with the lock held. */
    private void startNode(HaSettings s) {
        if (shuttingDown) {
            return; // left the plane for the framework's shutdown: a late store factory or change starts nothing
        }
        opening = true;
        try {
            StoreModules.Opened opened;
            try {
                opened = stores.open(s, rawProperties);
            } catch (StoreModules.Unavailable e) {
                configurationError = e.getMessage();
                return;
            }
            RunningNode node = new RunningNode(s, opened, clock, version, () -> settings.renewalDeadline(),
                    conditionRegistrar, stateEvents);
            node.start();
            running = node;
        } finally {
            opening = false;
        }
    }
}
