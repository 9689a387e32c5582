package dev.tandem.ha.core.osgi;

import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.PlaneStoreFactory;
import dev.tandem.ha.core.CountingPlaneStore;
import dev.tandem.ha.core.DeadlinePlaneStore;
import dev.tandem.ha.core.FencedStateStore;
import dev.tandem.ha.core.HaClock;
import dev.tandem.ha.core.HaNode;
import dev.tandem.ha.core.HaSettings;
import dev.tandem.ha.core.NodeRunner;

/**
 * One incarnation of this Karaf's HA node with what it runs on: the store (counted; the node's own requests
 * bounded by the renewal deadline), the fenced managed state, the runner, and the notice to the other nodes
 * when this node releases mastership. Stopped in the order that lets the node leave the plane cleanly.
 */
final class RunningNode {
    private static final Logger LOG = LoggerFactory.getLogger(RunningNode.class);

    final PlaneStore base;
    /** The store module that made the store (null for the folder store). */
    final PlaneStoreFactory madeBy;
    final CountingPlaneStore counted;
    final FencedStateStore managedState;
    final NodeRunner runner;
    private final DeadlinePlaneStore bounded;
    private final ReleaseNotice notice;
    /** The OSGi condition osgi.condition.id=tandem.master while this node acts as master; null without OSGi. */
    private final MasterCondition condition;

    RunningNode(HaSettings settings, PlaneStore base, HaClock clock, String version, Supplier<Duration> renewalDeadline) {
        this(settings, new StoreModules.Opened(base, null), clock, version, renewalDeadline, null, null);
    }

    /**
     * @param store     the store and the module that made it
     * @param condition how to register the master condition (null: none)
     * @param events    where to publish state changes (null: nowhere)
     */
    RunningNode(HaSettings settings, StoreModules.Opened store, HaClock clock, String version,
            Supplier<Duration> renewalDeadline, MasterCondition.Registrar condition, StateEvents events) {
        this.base = store.store();
        this.madeBy = store.factory();
        this.counted = new CountingPlaneStore(base, clock::nanoTime);
        // the node's requests give up after the renewal deadline: a hung request never holds its poll
        this.bounded = new DeadlinePlaneStore(counted, renewalDeadline, 32);
        HaNode node = new HaNode(settings, bounded, clock, HaNode.newNodeId(), version);
        this.managedState = new FencedStateStore(counted, node::actingEpoch, node::cleanEpoch);
        this.notice = new ReleaseNotice(node);
        node.onReleaseRecorded(notice);
        this.runner = new NodeRunner(node);
        this.condition = condition == null ? null : new MasterCondition(node, condition, MasterCondition.marginFor(settings));
        if (events != null) {
            node.addStateListener(events.listenerFor(node));
        }
    }

    HaNode node() {
        return runner.node();
    }

    /** Starts the node; if that fails, stops what was started and closes the store before rethrowing. */
    void start() {
        try {
            if (condition != null) {
                condition.start();
            }
            runner.start();
        } catch (RuntimeException | Error e) {
            try {
                stop();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Leaves the plane (TERMINATED), lets the release notice go out, then closes the store. */
    void stop() {
        runner.stop(); // the node's stop withdraws the condition before it records TERMINATED
        if (condition != null) {
            condition.close();
        }
        notice.close();
        bounded.close();
        if (base instanceof AutoCloseable closeable) {
            try {
                closeable.close(); // e.g. a jclouds context and its threads
            } catch (Exception e) {
                LOG.warn("Tandem HA: closing store {} failed: {}", base.describe(), e.getMessage());
            }
        }
    }
}
