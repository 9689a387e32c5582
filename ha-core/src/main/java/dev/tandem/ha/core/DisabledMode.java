package dev.tandem.ha.core;

import java.util.Optional;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.PersistMode;

/**
 * {@code highAvailabilityMode = DISABLED} with a persisted store: the node is the only writer of its store. It
 * joins the store and claims the next epoch as a node started in mode MASTER does, so that its managed-state
 * writes are fenced like any master's, and it renews its lease and fences itself like any master. It never stands
 * by and never takes part in elections: while it is not master it stays INITIALIZING and claims again at its next
 * tick. It refuses (FAILED) a store on which another node is a live master: it is never a second writer.
 */
final class DisabledMode {
    private final NodeContext n;

    DisabledMode(NodeContext n) {
        this.n = n;
    }

    /** Whether HA is DISABLED in the configuration while the managed state is persisted. */
    static boolean ownsStore(HaSettings s) {
        return !s.haEnabled() && s.persistMode() != PersistMode.DISABLED;
    }

    /**
     * Claims the store's next epoch, unless a live master holds the newest one (then the node is FAILED). If the
     * holder may still act (its record is stale but does not show a release), the claim is pending and the node
     * acts only once the holder has released or the fence has passed, as any claim does.
     */
    void claimStore(String why) {
        long now = n.clock.nanoTime();
        long wall = n.clock.currentTimeMillis();
        String holderId = n.epochs.holder();
        Optional<Peer> holder = n.epochs.known() == 0 || holderId == null ? Optional.empty() : n.io.readPeerQuietly(holderId);
        boolean released = n.epochs.known() == 0 || holder.map(n.io::isReleased).orElse(false) || n.epochs.heldBy(n.nodeId);
        boolean liveMaster = !released && holder.isPresent()
                && holder.get().record().status() == ManagementNodeState.MASTER && n.io.isFresh(holder.get());
        if (liveMaster) {
            n.fail("highAvailabilityMode DISABLED refused: the store " + n.store.describe() + " is used by a live "
                    + "plane whose master is " + holderId + " (epoch " + n.epochs.known() + "); a node with high "
                    + "availability DISABLED must be its store's only writer. Use another persistenceDir (or "
                    + "persistenceLocation), stop that plane, or set highAvailabilityMode AUTO to join it");
            n.io.writeOwnRecord();
            return;
        }
        if (n.state != ManagementNodeState.INITIALIZING) {
            n.transition(ManagementNodeState.INITIALIZING, why);
        }
        n.claimer.claim(now, wall, released, holder.map(Peer::leaseMillis).orElse(0L),
                "highAvailabilityMode DISABLED: " + why);
        n.io.writeOwnRecord();
    }
}
