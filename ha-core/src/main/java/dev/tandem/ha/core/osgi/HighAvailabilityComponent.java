package dev.tandem.ha.core.osgi;

import java.nio.file.Path;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import dev.tandem.ha.api.HaMetrics;
import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.InvalidValueException;
import dev.tandem.ha.api.ManagedStateStore;
import dev.tandem.ha.api.store.PlaneStoreFactory;
import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.PlaneView;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.core.CountingPlaneStore;
import dev.tandem.ha.core.FencedStateStore;
import dev.tandem.ha.core.HaClock;
import dev.tandem.ha.core.HaNode;
import dev.tandem.ha.core.HaSettings;
import dev.tandem.ha.core.InvalidSettingsException;
import dev.tandem.ha.core.MasterChangeCounter;
import dev.tandem.ha.core.NodeRunner;

/**
 * The HA node of this Karaf, configured from PIDs {@code org.apache.brooklyn.osgilauncher} and
 * {@code brooklyn} (and pax-web's port, for the node's URI). A bad configuration at first start leaves
 * the node FAILED and out of the plane; a bad edit later is refused and the previous one kept. A change of
 * mode or store makes the node leave the plane cleanly and rejoin; other changes apply in place.
 */
@Component(service = { HighAvailabilityService.class, ManagedStateStore.class }, immediate = true,
        configurationPid = { "org.apache.brooklyn.osgilauncher", "brooklyn", "org.ops4j.pax.web" },
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class HighAvailabilityComponent implements HighAvailabilityService, ManagedStateStore {
    private static final Logger LOG = LoggerFactory.getLogger(HighAvailabilityComponent.class);

    private final Path baseDir;
    private final String version;
    private final HaClock clock;
    private final Object lock = new Object();

    private volatile HaSettings settings;
    private Map<String, Object> rawProperties = Map.of();
    /** Written under {@code lock}, read without it: a reader never waits for a store being opened or left. */
    private volatile RunningNode running;
    /** True while {@link #startNode} makes the store (a jclouds context takes a while): the node is INITIALIZING. */
    private volatile boolean opening;
    private ShutdownHandover handover;
    private boolean shuttingDown; // guarded by lock
    private volatile String configurationError;
    private final StoreModules stores = new StoreModules();
    private final String idWhileUnconfigured = HaNode.newNodeId();
    private final MasterChangeCounter masterChanges = new MasterChangeCounter();
    /** Warns once when this node's URI is loopback and another node's is not (fed with each view read). */
    private final dev.tandem.ha.core.LoopbackUriCheck loopbackCheck = new dev.tandem.ha.core.LoopbackUriCheck();

    /** Registers the master condition (null: none, in plain-Java tests). */
    private final MasterCondition.Registrar conditionRegistrar;
    /** State changes, published through EventAdmin when one is bound. */
    private final StateEvents stateEvents = new StateEvents();

    @Activate
    public HighAvailabilityComponent(BundleContext context, Map<String, Object> properties) {
        this(KarafFacts.baseDir(), KarafFacts.versionOf(context), HaClock.SYSTEM, properties, MasterCondition.inBundle(context));
        handover = ShutdownHandover.register(context, this::leaveForShutdown);
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

    /** For tests: everything explicit. */
    public HighAvailabilityComponent(Path baseDir, String version, HaClock clock, Map<String, Object> properties) {
        this(baseDir, version, clock, properties, null);
    }

    HighAvailabilityComponent(Path baseDir, String version, HaClock clock, Map<String, Object> properties,
            MasterCondition.Registrar conditionRegistrar) {
        this.conditionRegistrar = conditionRegistrar;
        this.baseDir = baseDir;
        this.version = version;
        this.clock = clock;
        try {
            settings = HaSettings.from(properties, baseDir);
            rawProperties = Map.copyOf(properties);
            startNode(settings);
        } catch (InvalidSettingsException e) {
            configurationError = "invalid configuration, node stays out of the plane: " + e.getMessage();
            LOG.error("Tandem HA: {}. Fix etc/org.apache.brooklyn.osgilauncher.cfg or etc/brooklyn.cfg; the change "
                    + "is picked up without a restart.", configurationError);
        }
    }

    @Modified
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

    @Deactivate
    void deactivate() {
        if (handover != null) {
            handover.close();
        }
        synchronized (lock) {
            stopNode();
        }
    }

    /** Store factories of persistence modules (jclouds, ...), used for a non-empty persistenceLocation. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addStoreFactory(PlaneStoreFactory factory) {
        stores.add(factory);
        synchronized (lock) {
            if (running == null && settings != null && !settings.folderStore()) {
                configurationError = null;
                startNode(settings); // the store this configuration asks for is now available
            }
        }
    }

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

    /** EventAdmin, where present (Karaf has it): state changes are published on it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY)
    void bindEventAdmin(org.osgi.service.event.EventAdmin eventAdmin) {
        stateEvents.bind(eventAdmin);
    }

    void unbindEventAdmin(org.osgi.service.event.EventAdmin eventAdmin) {
        stateEvents.unbind(eventAdmin);
    }

    /** Readers stop seeing the node before it leaves: they get "not running" at once, not a node that is going. */
    private void stopNode() {
        RunningNode node = running;
        running = null;
        if (node != null) {
            node.stop();
        }
    }

    private void startNode(HaSettings s) {
        synchronized (lock) {
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

    // ------------------------------------------------------------ HighAvailabilityService

    private NodeRunner runner() {
        RunningNode node = running;
        return node == null ? null : node.runner;
    }

    /** The running node, or IllegalStateException saying why there is none. */
    private RunningNode requireNode() {
        RunningNode node = running;
        if (node == null) {
            throw new IllegalStateException(configurationError != null ? configurationError : "the HA node is not running");
        }
        return node;
    }

    private NodeRunner requireRunner() {
        return requireNode().runner;
    }

    @Override
    public String getNodeId() {
        NodeRunner r = runner();
        return r == null ? idWhileUnconfigured : r.node().nodeId();
    }

    @Override
    public String getPlaneId() {
        NodeRunner r = runner();
        return r == null ? null : r.node().status().planeId();
    }

    @Override
    public ManagementNodeState getState() {
        boolean starting = opening; // read first: startNode sets the node before it clears the flag
        NodeRunner r = runner();
        if (r == null) {
            return starting ? ManagementNodeState.INITIALIZING : ManagementNodeState.FAILED;
        }
        return r.node().effectiveState();
    }

    @Override
    public HighAvailabilityMode getMode() {
        NodeRunner r = runner();
        return r == null ? HighAvailabilityMode.DISABLED : r.node().status().mode();
    }

    @Override
    public String getFailureReason() {
        NodeRunner r = runner();
        return r == null ? configurationError : r.node().status().failureReason();
    }

    @Override
    public PlaneView getPlane() {
        NodeRunner r = requireRunner();
        try {
            PlaneView view = r.node().view();
            loopbackCheck.check(view);
            return view;
        } catch (StoreException e) {
            throw new IllegalStateException("cannot read the plane from the store: " + e.getMessage(), e);
        }
    }

    @Override
    public ManagementNodeState changeMode(HighAvailabilityMode mode) {
        NodeRunner r = requireRunner();
        return r.call(() -> r.node().changeMode(mode));
    }

    @Override
    public int getPriority() {
        NodeRunner r = runner();
        return r == null ? 0 : r.node().status().priority();
    }

    @Override
    public int setPriority(int priority) {
        NodeRunner r = requireRunner();
        return r.call(() -> r.node().setPriority(priority));
    }

    @Override
    public boolean isActingMaster() {
        NodeRunner r = runner();
        return r != null && r.node().isActingMaster();
    }

    @Override
    public long getEpoch() {
        NodeRunner r = runner();
        return r == null ? 0 : r.node().status().epoch();
    }

    // ------------------------------------------------------------ ManagedStateStore

    private FencedStateStore managedState() {
        return requireNode().managedState;
    }

    @Override
    public void write(String key, byte[] value) throws StoreException {
        managedState().write(key, value);
    }

    @Override
    public void delete(String key) throws StoreException {
        managedState().delete(key);
    }

    @Override
    public java.util.Optional<byte[]> read(String key) throws StoreException {
        return managedState().read(key);
    }

    @Override
    public java.util.List<byte[]> readUntilAbsent(java.util.List<String> keys) throws StoreException {
        return managedState().readUntilAbsent(keys);
    }

    @Override
    public boolean tidyUp() throws StoreException {
        return managedState().tidyUp();
    }

    @Override
    public ManagementNodeState stepDown(long holdMillis) {
        if (holdMillis < 0) {
            throw new InvalidValueException("hold", Long.toString(holdMillis), "a duration of zero or more");
        }
        NodeRunner r = requireRunner();
        return r.call(() -> r.node().stepDown(holdMillis * 1_000_000));
    }

    /** Reads the plane now instead of at the next poll (another node released mastership); rate-limited. */
    @Override
    public void checkPlaneSoon() {
        NodeRunner r = runner();
        if (r != null) {
            r.pollSoon();
        }
    }

    @Override
    public void clearRecords() {
        NodeRunner r = requireRunner();
        r.call(() -> r.node().clearRecords());
    }

    @Override
    public void clearRecord(String nodeId) {
        NodeRunner r = requireRunner();
        r.call(() -> {
            r.node().clearRecord(nodeId);
            return null;
        });
    }

    @Override
    public HaMetrics getMetrics() {
        RunningNode node = running;
        HaSettings s = settings;
        NodeRunner r = node == null ? null : node.runner;
        CountingPlaneStore counting = node == null ? null : node.counted;
        return r == null || s == null ? MetricsSnapshot.notRunning(getNodeId(), masterChanges)
                : MetricsSnapshot.of(r.node(), s, counting, masterChanges);
    }
}
