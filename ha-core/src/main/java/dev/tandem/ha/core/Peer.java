package dev.tandem.ha.core;

import dev.tandem.ha.api.NodeRecord;

/**
 * A node record with what only the protocol reads: the heartbeat timeout its writer derives its lease
 * from, that lease, and whether it stays out of elections for now (a step-down's hold). Records of older versions say
 * neither: {@code timeoutMillis} and {@code leaseMillis} are then 0 and {@code holding} false.
 */
record Peer(NodeRecord record, long timeoutMillis, long leaseMillis, boolean holding) {

    String nodeId() {
        return record.nodeId();
    }
}
