package dev.tandem.ha.core;

/**
 * Where the plane keeps its records in the store. Epoch claims are separate objects created only if
 * absent, so that exactly one node holds each epoch; node records are rewritten by their own node only.
 */
final class PlaneKeys {
    static final String PLANE_ID = "plane/planeId";
    static final String NODES = "plane/nodes/";
    static final String EPOCHS = "plane/epochs/";
    /** Claims older than this many epochs below the newest are pruned; see {@code EpochClaims}. */
    static final int EPOCHS_KEPT = 64;

    private PlaneKeys() {}

    static String node(String nodeId) {
        return NODES + nodeId;
    }

    /** Zero-padded so that the store's key order is the epochs' order. */
    static String epoch(long epoch) {
        return EPOCHS + zeroPadded(epoch);
    }

    private static final String ZEROS = "0000000000000000000";

    /** {@code String.format("%019d", n)} without the formatter's cost (store keys are built on every request). */
    static String zeroPadded(long n) {
        if (n < 0) {
            return String.format("%019d", n);
        }
        String digits = Long.toString(n);
        return ZEROS.substring(digits.length()) + digits;
    }

    /** The epoch a claim key names, or -1 if the key is not a claim. */
    static long epochOf(String key) {
        if (!key.startsWith(EPOCHS)) {
            return -1;
        }
        String n = key.substring(EPOCHS.length());
        if (n.length() != 19 || !n.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(n);
    }

    static String nodeIdOf(String key) {
        return key.startsWith(NODES) ? key.substring(NODES.length()) : null;
    }
}
