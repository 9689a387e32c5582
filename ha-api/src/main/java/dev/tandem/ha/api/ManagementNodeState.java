package dev.tandem.ha.api;

/** The state of one node of the plane (Brooklyn's {@code ManagementNodeState}). */
public enum ManagementNodeState {
    INITIALIZING,
    STANDBY,
    HOT_STANDBY,
    HOT_BACKUP,
    MASTER,
    FAILED,
    TERMINATED;

    /** States from which a node may be elected master. */
    public boolean isElectable() {
        return this == STANDBY || this == HOT_STANDBY || this == MASTER;
    }

    /** States a node holds while it is a live, healthy member of the plane. */
    public boolean isHealthyMember() {
        return this == STANDBY || this == HOT_STANDBY || this == HOT_BACKUP || this == MASTER;
    }

    public static ManagementNodeState parse(String field, String value) {
        return Enums.parse(ManagementNodeState.class, field, value);
    }
}
