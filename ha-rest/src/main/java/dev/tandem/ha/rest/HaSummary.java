package dev.tandem.ha.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tandem.ha.api.NodeRecord;
import dev.tandem.ha.api.PlaneView;

/**
 * The JSON of {@code GET /v1/server/ha/states}, field for field Brooklyn's {@code HighAvailabilitySummary}.
 *
 * @param planeId  the plane's id, or null before the node has joined a plane
 * @param ownId    the id of the node that answers
 * @param masterId the current master's id, or null if there is none
 * @param nodes    every node the plane knows, by id
 * @param links    always empty; kept for Brooklyn's clients
 */
public record HaSummary(String planeId, String ownId, String masterId, Map<String, Node> nodes,
        Map<String, String> links) {

    /**
     * One node, as Brooklyn's {@code HaNodeSummary} (plus {@code priority}).
     *
     * @param status          the state name, e.g. {@code "HOT_STANDBY"}
     * @param localTimestamp  epoch millis of the node's last write, by its own clock
     * @param remoteTimestamp epoch millis of the same write, by the store's clock
     */
    public record Node(String nodeId, String nodeUri, String status, long localTimestamp, long remoteTimestamp,
            int priority) {

        static Node of(NodeRecord r) {
            return new Node(r.nodeId(), r.nodeUri(), r.status().name(), r.localTimestamp(), r.remoteTimestamp(),
                    r.priority());
        }
    }

    static HaSummary of(PlaneView view) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        view.nodes().forEach((id, record) -> nodes.put(id, Node.of(record)));
        return new HaSummary(view.planeId(), view.ownId(), view.masterId(), nodes, Map.of());
    }
}
