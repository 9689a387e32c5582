package dev.tandem.ha.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable snapshot of the plane as one node sees it.
 *
 * @param planeId  the id of the plane (shared by all nodes on one store)
 * @param ownId    the id of the node that made this view
 * @param masterId the id of the current master, or {@code null} if there is none
 * @param epoch    the current mastership epoch, 0 before the first election
 * @param nodes    every node record, keyed by node id, in a stable order
 */
public record PlaneView(String planeId, String ownId, String masterId, long epoch, Map<String, NodeRecord> nodes) {

    public PlaneView {
        Objects.requireNonNull(ownId, "ownId");
        Objects.requireNonNull(nodes, "nodes");
        for (Map.Entry<String, NodeRecord> e : nodes.entrySet()) {
            if (!e.getKey().equals(e.getValue().nodeId())) {
                throw new IllegalArgumentException("node key " + e.getKey() + " holds record of " + e.getValue().nodeId());
            }
        }
        if (masterId != null && !nodes.containsKey(masterId)) {
            throw new IllegalArgumentException("master " + masterId + " is not among the nodes " + nodes.keySet());
        }
        nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
    }
}
