package dev.tandem.ha.api;

import java.util.Objects;

/**
 * One node as the plane sees it: what the node last wrote about itself, plus the store's time of
 * that write.
 *
 * @param nodeId          the node's id, unique per start of a node
 * @param nodeUri         the base URI of the node's REST API, or {@code null} if it has none
 * @param status          the state the node reported (a timed-out master is shown {@code FAILED})
 * @param priority        election priority; higher wins
 * @param version         the Tandem version the node runs
 * @param epoch           the mastership epoch the node last held or followed; 0 if none
 * @param heartbeat       a counter the node increments on every heartbeat
 * @param localTimestamp  epoch millis of the write by the node's own wall clock
 * @param remoteTimestamp epoch millis of the write by the store's clock (last-modified), or
 *                        {@code localTimestamp} where the store has no clock of its own
 */
public record NodeRecord(String nodeId, String nodeUri, ManagementNodeState status, int priority, String version,
        long epoch, long heartbeat, long localTimestamp, long remoteTimestamp) {

    public NodeRecord {
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("nodeId must not be blank");
        }
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(version, "version");
        if (epoch < 0 || heartbeat < 0) {
            throw new IllegalArgumentException("epoch and heartbeat must not be negative: " + epoch + ", " + heartbeat);
        }
    }

    public NodeRecord withStatus(ManagementNodeState newStatus) {
        return new NodeRecord(nodeId, nodeUri, newStatus, priority, version, epoch, heartbeat, localTimestamp,
                remoteTimestamp);
    }

    public NodeRecord withRemoteTimestamp(long storeMillis) {
        return new NodeRecord(nodeId, nodeUri, status, priority, version, epoch, heartbeat, localTimestamp,
                storeMillis);
    }
}
