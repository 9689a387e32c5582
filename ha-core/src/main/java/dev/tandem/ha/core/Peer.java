package dev.tandem.ha.core;

import dev.tandem.ha.api.NodeRecord;

/**
 * A node record with what only the protocol reads: the heartbeat timeout its writer derives its lease
 * from, that lease, whether it stays out of elections for now (a step-down's hold), and how long after this
 * write its writer means to write the next heartbeat (standbys time their reads by it; see {@link HolderWatch}).
 * Records of older versions say none of these: {@code timeoutMillis}, {@code leaseMillis} and
 * {@code intervalMillis} are then 0 and {@code holding} false.
 */
record Peer(NodeRecord record, long timeoutMillis, long leaseMillis, boolean holding, long intervalMillis) {

    Peer(NodeRecord record, long timeoutMillis, long leaseMillis, boolean holding) {
        this(record, timeoutMillis, leaseMillis, holding, 0);
    }

    String nodeId() {
        return record.nodeId();
    }
}
