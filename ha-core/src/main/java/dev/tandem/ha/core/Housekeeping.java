package dev.tandem.ha.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.InvalidValueException;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.api.store.StoredObject;

/**
 * Removal of what the plane no longer needs: records of nodes that are gone, claims of old epochs, and
 * records an operator asks to clear. The master prunes within a time budget per tick, so that housekeeping
 * on a slow store never delays a renewal; what is left is pruned at the next tick.
 */
final class Housekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final PlaneStore store;
    private final HaClock clock;
    private final String nodeId;

    Housekeeping(PlaneStore store, HaClock clock, String nodeId) {
        this.store = store;
        this.clock = clock;
        this.nodeId = nodeId;
    }

    /**
     * Deletes records of nodes that are gone (terminated, failed or silent for {@code timeoutMillis}) and
     * older than {@code olderThanMillis}, and claims more than {@link PlaneKeys#EPOCHS_KEPT} epochs below
     * {@code newestEpoch}, until {@code stopAt} on the monotonic clock.
     *
     * @return whether everything was done (false: time ran out, or the store failed)
     */
    boolean prune(long olderThanMillis, long timeoutMillis, String holder, long newestEpoch, boolean atStartup,
            long stopAt) throws StoreException {
        for (String key : store.list(PlaneKeys.EPOCHS)) {
            long epoch = PlaneKeys.epochOf(key);
            if (epoch > 0 && epoch <= newestEpoch - PlaneKeys.EPOCHS_KEPT) {
                if (clock.nanoTime() - stopAt >= 0) {
                    return false;
                }
                store.delete(key);
            }
        }
        List<Peer> records = readAll(store);
        long storeNow = records.stream().mapToLong(p -> p.record().remoteTimestamp()).max().orElse(0);
        if (!atStartup) {
            storeNow = records.stream().filter(p -> p.nodeId().equals(nodeId))
                    .mapToLong(p -> p.record().remoteTimestamp()).findFirst().orElse(storeNow);
        }
        for (Peer p : records) {
            long age = storeNow - p.record().remoteTimestamp();
            ManagementNodeState s = p.record().status();
            boolean gone = s == ManagementNodeState.TERMINATED || s == ManagementNodeState.FAILED
                    || age > Math.max(timeoutMillis, p.timeoutMillis());
            if (!p.nodeId().equals(nodeId) && !p.nodeId().equals(holder) && gone && age > olderThanMillis) {
                if (clock.nanoTime() - stopAt >= 0) {
                    return false;
                }
                store.delete(PlaneKeys.node(p.nodeId()));
                LOG.info("Removed the record of inactive node {} ({}, last seen {} ms before)", p.nodeId(), s, age);
            }
        }
        return true;
    }

    /** Removes the records of all nodes but the master and this one; returns how many were removed. */
    int clearRecords(String masterId) throws StoreException {
        int removed = 0;
        for (String key : store.list(PlaneKeys.NODES)) {
            String id = PlaneKeys.nodeIdOf(key);
            if (id != null && !id.equals(nodeId) && !id.equals(masterId)) {
                store.delete(key);
                removed++;
            }
        }
        LOG.info("Node {} removed {} records of other nodes on request", nodeId, removed);
        return removed;
    }

    /** Removes one node's record; not this node's, nor the master's. */
    void clearRecord(String id, String masterId) throws StoreException {
        String accepted = "the id of a node other than this one (" + nodeId + ") and the master";
        if (id == null || id.isBlank() || id.equals(nodeId) || id.equals(masterId) || !id.matches("[A-Za-z0-9._-]+")) {
            throw new InvalidValueException("nodeId", id, accepted);
        }
        if (!store.exists(PlaneKeys.node(id))) {
            throw new InvalidValueException("nodeId", id, accepted + " that has a record");
        }
        store.delete(PlaneKeys.node(id));
        LOG.info("Node {} removed the record of node {} on request", nodeId, id);
    }

    /** Every readable node record (one LIST, then the reads, concurrently where the store can). */
    static List<Peer> readAll(PlaneStore store) throws StoreException {
        List<Peer> out = new ArrayList<>();
        for (Optional<StoredObject> o : store.readAll(store.list(PlaneKeys.NODES))) {
            o.flatMap(Housekeeping::decode).ifPresent(out::add);
        }
        return out;
    }

    /** A node record as stored, if readable and stored under its own id. */
    static Optional<Peer> decode(StoredObject o) {
        Optional<Peer> p = RecordCodec.decodePeer(o.content(), o.lastModified());
        if (p.isEmpty()) {
            LOG.debug("Ignoring unreadable record {}", o.key());
        }
        return p.filter(x -> o.key().equals(PlaneKeys.node(x.nodeId())));
    }
}
