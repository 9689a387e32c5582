package dev.tandem.ha.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.NodeRecord;
import dev.tandem.ha.api.PlaneView;
import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.api.store.StoredObject;

/**
 * The plane as an operator sees it (REST, shell): every record, with a master that is not the holder of
 * the newest epoch, or a node silent for longer than its timeout, shown FAILED. Reads every record, so it
 * is for requests, never for the poll loop.
 */
final class PlaneViews {
    private PlaneViews() {}

    static PlaneView view(PlaneStore store, NodeStatus own, String nodeId, long timeoutMillis)
            throws StoreException {
        List<Peer> records = Housekeeping.readAll(store);
        long storeNow = records.stream().filter(p -> p.nodeId().equals(nodeId))
                .mapToLong(p -> p.record().remoteTimestamp()).findFirst()
                .orElse(records.stream().mapToLong(p -> p.record().remoteTimestamp()).max().orElse(0));
        records.sort(Comparator.comparing(Peer::nodeId));
        Map<String, NodeRecord> nodes = new LinkedHashMap<>();
        String masterId = null;
        for (Peer p : records) {
            NodeRecord r = p.record();
            NodeRecord shown = r;
            long timeout = Math.max(timeoutMillis, p.timeoutMillis());
            boolean stale = storeNow - r.remoteTimestamp() > timeout;
            if (r.nodeId().equals(nodeId)) {
                shown = r.withStatus(own.state());
            } else if (r.status() == ManagementNodeState.MASTER && (r.epoch() < own.epoch() || !r.nodeId().equals(own.masterId()))
                    || stale && r.status() != ManagementNodeState.TERMINATED) {
                shown = r.withStatus(ManagementNodeState.FAILED);
            }
            if (shown.status() == ManagementNodeState.MASTER) {
                masterId = shown.nodeId();
            }
            nodes.put(r.nodeId(), shown);
        }
        return new PlaneView(own.planeId(), nodeId, masterId, own.epoch(), nodes);
    }

    /**
     * The plane's audit trail: who claimed each of the last epochs, when (claimant's clock) and why. It is
     * the epoch claims themselves (immutable, created once, the oldest pruned), so it needs no appends.
     */
    static List<EpochClaim> auditTrail(PlaneStore store) throws StoreException {
        List<EpochClaim> out = new ArrayList<>();
        for (String key : store.list(PlaneKeys.EPOCHS)) {
            long epoch = PlaneKeys.epochOf(key);
            if (epoch > 0) {
                readClaim(store, epoch).ifPresent(out::add);
            }
        }
        return out;
    }

    /** A claim as stored; empty if absent or unreadable (a garbled claim's holder is unknown). */
    static Optional<EpochClaim> readClaim(PlaneStore store, long epoch) throws StoreException {
        Optional<StoredObject> o = store.read(PlaneKeys.epoch(epoch));
        Optional<EpochClaim> claim = o.flatMap(x -> RecordCodec.decodeClaim(x.content()));
        if (o.isPresent() && (claim.isEmpty() || claim.get().epoch() != epoch)) {
            org.slf4j.LoggerFactory.getLogger(PlaneViews.class)
                    .warn("Claim record {} is unreadable; its holder is found from the node records", PlaneKeys.epoch(epoch));
            return Optional.empty();
        }
        return claim;
    }
}
