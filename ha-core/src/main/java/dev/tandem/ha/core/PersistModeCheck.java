package dev.tandem.ha.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.PersistMode;
import dev.tandem.ha.api.store.StoreException;

/**
 * What {@code persistMode} asks of a node when it joins, on any store: REBIND refuses to start when the store
 * holds no managed state; CLEAN refuses to start while another node of the plane is live (CLEAN never wipes the
 * state of a live plane). AUTO and DISABLED ask nothing here (DISABLED never joins a store). A refusal leaves the
 * node FAILED with the returned reason.
 */
final class PersistModeCheck {
    private final NodeContext n;

    PersistModeCheck(NodeContext n) {
        this.n = n;
    }

    /** Why this node must not start on this store, or empty; called once its own record has been written. */
    Optional<String> refusal() throws StoreException {
        PersistMode mode = n.settings.persistMode();
        if (mode == PersistMode.REBIND && n.store.list(FencedStateStore.VALUES).isEmpty()) {
            return Optional.of("persistMode REBIND refused: the store " + n.store.describe() + " holds no managed "
                    + "state to rebind to. Point persistenceDir (or persistenceLocation) at the store that holds the "
                    + "state, or use persistMode AUTO (rebind if there is state, else start empty) or CLEAN (start empty)");
        }
        if (mode == PersistMode.CLEAN) {
            List<String> live = liveOthers();
            if (!live.isEmpty()) {
                return Optional.of("persistMode CLEAN refused: the plane on " + n.store.describe()
                        + " has other live nodes " + live + "; CLEAN never wipes the state of a live plane. Stop "
                        + "them first, or use persistMode AUTO to join the plane with its state");
            }
        }
        return Optional.empty();
    }

    /**
     * Other nodes whose record is not TERMINATED or FAILED and was written within their timeout, judged by the
     * store's clock against this node's own record, just written.
     */
    private List<String> liveOthers() throws StoreException {
        List<Peer> peers = Housekeeping.readAll(n.store);
        long storeNow = peers.stream().filter(p -> p.nodeId().equals(n.nodeId)).mapToLong(p -> p.record().remoteTimestamp())
                .findFirst().orElseThrow(() -> new StoreException("this node's own record could not be read back"));
        List<String> live = new ArrayList<>();
        for (Peer p : peers) {
            ManagementNodeState s = p.record().status();
            long timeout = Math.max(n.settings.heartbeatTimeout().toMillis(), p.timeoutMillis());
            if (!p.nodeId().equals(n.nodeId) && s != ManagementNodeState.TERMINATED && s != ManagementNodeState.FAILED
                    && storeNow - p.record().remoteTimestamp() <= timeout) {
                live.add(p.nodeId() + " (" + s + ")");
            }
        }
        return live;
    }
}
