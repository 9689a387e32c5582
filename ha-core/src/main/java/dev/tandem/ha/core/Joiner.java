package dev.tandem.ha.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.Durations;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.PersistMode;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.api.store.StoredObject;

/** Joining the plane, and entering the state the node's mode asks for (the start-up table). */
final class Joiner {
    private static final Logger LOG = LoggerFactory.getLogger(HaNode.class);

    private final NodeContext n;

    Joiner(NodeContext n) {
        this.n = n;
    }

    void tryJoin(long retryNanos) {
        try {
            n.store.open(List.of(PlaneKeys.NODES, PlaneKeys.EPOCHS, FencedStateStore.VALUES, FencedStateStore.SEALS));
            n.planeId = readOrCreatePlaneId();
            long newest = n.store.list(PlaneKeys.EPOCHS).stream().mapToLong(PlaneKeys::epochOf).max().orElse(0);
            n.epochs.advanceTo(newest, newest > 0 ? PlaneViews.readClaim(n.store, newest).orElse(null) : null);
            n.watch.reset(n.clock.nanoTime(), n.ownTimeoutNanos());
            if (n.settings.removeInactiveOnStartup().toMillis() > 0) {
                n.housekeeping.prune(n.settings.removeInactiveOnStartup().toMillis(), n.settings.heartbeatTimeout().toMillis(),
                        n.epochs.holder(), newest, true, n.clock.nanoTime() + n.settings.heartbeatTimeout().toNanos());
            }
            if (!n.io.writeOwnRecord()) {
                throw new StoreException("the node's record could not be written");
            }
            Optional<String> refused = new PersistModeCheck(n).refusal();
            n.joined = true;
            LOG.info("Node {} joined plane {} on {} (epoch {}, mode {}, persistMode {})", n.nodeId, n.planeId,
                    n.store.describe(), newest, n.mode, n.settings.persistMode());
            if (refused.isPresent()) {
                n.fail(refused.get());
                n.io.writeOwnRecord();
            } else {
                if (n.settings.persistMode() == PersistMode.CLEAN) {
                    n.cleanAfterEpoch = newest;
                }
                enterMode("start");
            }
        } catch (StoreException e) {
            n.storeFailures.failed("Node " + n.nodeId + " cannot join the plane yet: store " + n.store.describe()
                    + " is not usable; retrying every " + Durations.format(Duration.ofNanos(retryNanos)), e);
        }
        n.publish();
    }

    private String readOrCreatePlaneId() throws StoreException {
        String fresh = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        if (n.store.createIfAbsent(PlaneKeys.PLANE_ID, fresh.getBytes(StandardCharsets.UTF_8))) {
            return fresh;
        }
        Optional<StoredObject> existing = n.store.read(PlaneKeys.PLANE_ID);
        String id = existing.map(o -> RecordCodec.decodeText(o.content())).orElse("");
        if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new StoreException("the plane id in " + PlaneKeys.PLANE_ID + " is unreadable; remove it to start a new plane");
        }
        return id;
    }

    /** Puts the node in the state its mode asks for, given the plane as it is now. */
    void enterMode(String why) {
        if (DisabledMode.ownsStore(n.settings)) {
            n.disabled.claimStore(why);
            return;
        }
        long now = n.clock.nanoTime();
        long wall = n.clock.currentTimeMillis();
        String holderId = n.epochs.holder();
        Optional<Peer> holder = n.epochs.known() == 0 || holderId == null ? Optional.empty() : n.io.readPeerQuietly(holderId);
        long readEnd = n.clock.nanoTime();
        boolean released = n.epochs.known() == 0 || holder.map(n.io::isReleased).orElse(false) || n.epochs.heldBy(n.nodeId);
        boolean healthyMaster = !released && holder.isPresent()
                && holder.get().record().status() == ManagementNodeState.MASTER && n.io.isFresh(holder.get());
        n.watch.reset(now, n.ownTimeoutNanos());
        if (holder.isPresent() && !released) {
            // this read already observed the holder: its silence is timed from here, not from the next poll
            n.watch.observe(holder.get().record().heartbeat(), holder.get().timeoutMillis() * 1_000_000,
                    holder.get().leaseMillis() * 1_000_000, n.ownTimeoutNanos(), readEnd, readEnd);
        }
        StartupTable.Decision d = StartupTable.decide(n.mode, released, healthyMaster,
                holderId == null ? "unknown" : holderId, why);
        switch (d.action()) {
            case BECOME:
                n.transition(d.state(), d.reason());
                break;
            case ELECT:
                n.transition(d.state(), d.reason());
                n.watcher.elect(now, Watcher.HolderGone.RELEASED);
                break;
            case CLAIM:
                n.transition(d.state(), d.reason());
                n.claimer.claim(now, wall, released, holder.map(Peer::leaseMillis).orElse(0L), "start in mode MASTER");
                if (n.state != ManagementNodeState.MASTER && n.claims.pending() == null) {
                    n.fail("Another node became master while this node tried to (master "
                            + Optional.ofNullable(n.epochs.holder()).orElse("unknown") + "); cannot run as master");
                }
                break;
            default:
                n.fail(d.reason());
                break;
        }
        n.io.writeOwnRecord();
    }
}
