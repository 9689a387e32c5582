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
import dev.tandem.ha.core.LoopbackUriCheck;
import dev.tandem.ha.core.MasterChangeCounter;
import dev.tandem.ha.core.NodeRunner;

/**
 * The HA node of this Karaf as OSGi services, configured from PIDs {@code org.apache.brooklyn.osgilauncher} and
 * {@code brooklyn} (and pax-web's port, for the node's URI): the Declarative Services wiring and the service
 * facade. The node's life across configurations and store modules is {@link NodeLifecycle}'s: a bad configuration
 * at first start leaves the node FAILED and out of the plane; a bad edit later is refused and the previous one
 * kept; a change of mode or store makes the node leave the plane cleanly and rejoin; other changes apply in place.
 */
@Component(service = { HighAvailabilityService.class, ManagedStateStore.class }, immediate = true,
        configurationPid = { "org.apache.brooklyn.osgilauncher", "brooklyn", "org.ops4j.pax.web" },
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class HighAvailabilityComponent implements HighAvailabilityService, ManagedStateStore {
    private final MasterChangeCounter masterChanges = new MasterChangeCounter();
    private final String idWhileUnconfigured = HaNode.newNodeId();
    /** Warns once when this node's URI is loopback and another node's is not (fed with each view read). */
    private final LoopbackUriCheck loopbackCheck = new LoopbackUriCheck();
    /** State changes, published through EventAdmin when one is bound. */
    private final StateEvents stateEvents = new StateEvents();
    private final NodeLifecycle lifecycle;
    private ShutdownHandover handover;

    @Activate
    public HighAvailabilityComponent(BundleContext context, Map<String, Object> properties) {
        this(KarafFacts.baseDir(), KarafFacts.versionOf(context), HaClock.SYSTEM, properties, MasterCondition.inBundle(context));
        handover = ShutdownHandover.register(context, lifecycle::leaveForShutdown);
    }

    /** For tests: everything explicit. */
    public HighAvailabilityComponent(Path baseDir, String version, HaClock clock, Map<String, Object> properties) {
        this(baseDir, version, clock, properties, null);
    }

    HighAvailabilityComponent(Path baseDir, String version, HaClock clock, Map<String, Object> properties,
            MasterCondition.Registrar conditionRegistrar) {
        lifecycle = new NodeLifecycle(baseDir, version, clock, conditionRegistrar, stateEvents);
        lifecycle.configure(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        lifecycle.modified(properties);
    }

    @Deactivate
    void deactivate() {
        if (handover != null) {
            handover.close();
        }
        lifecycle.stop();
    }

    /** Store factories of persistence modules (jclouds, ...), used for a non-empty persistenceLocation. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addStoreFactory(PlaneStoreFactory factory) {
        lifecycle.addStoreFactory(factory);
    }

    void removeStoreFactory(PlaneStoreFactory factory) {
        lifecycle.removeStoreFactory(factory);
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

    // ------------------------------------------------------------ HighAvailabilityService

    private NodeRunner runner() {
        RunningNode node = lifecycle.running();
        return node == null ? null : node.runner;
    }

    /** The running node, or IllegalStateException saying why there is none. */
    private RunningNode requireNode() {
        RunningNode node = lifecycle.running();
        if (node == null) {
            String why = lifecycle.configurationError();
            throw new IllegalStateException(why != null ? why : "the HA node is not running");
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
        boolean starting = lifecycle.opening(); // read first: the node is set before the flag is cleared
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
        return r == null ? lifecycle.configurationError() : r.node().status().failureReason();
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
        RunningNode node = lifecycle.running();
        HaSettings s = lifecycle.settings();
        NodeRunner r = node == null ? null : node.runner;
        CountingPlaneStore counting = node == null ? null : node.counted;
        return r == null || s == null ? MetricsSnapshot.notRunning(getNodeId(), masterChanges)
                : MetricsSnapshot.of(r.node(), s, counting, masterChanges);
    }
}
