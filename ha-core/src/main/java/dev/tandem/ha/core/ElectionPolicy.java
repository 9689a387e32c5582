package dev.tandem.ha.core;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.NodeRecord;

/**
 * Who should be master among electable candidates: highest priority; then release versions
 * before snapshots; then the higher version; then state MASTER &gt; HOT_STANDBY &gt; STANDBY; then the
 * smallest node id. A pure function of the records, so every node computes the same winner.
 */
public final class ElectionPolicy {
    /** Best candidate first. */
    public static final Comparator<NodeRecord> ORDER = Comparator
            .comparingInt(NodeRecord::priority).reversed()
            .thenComparing(r -> isSnapshot(r.version()))
            .thenComparing(NodeRecord::version, ElectionPolicy::compareVersionsDescending)
            .thenComparing(r -> stateRank(r.status()))
            .thenComparing(NodeRecord::nodeId);

    private ElectionPolicy() {}

    public static Optional<NodeRecord> winner(Collection<NodeRecord> candidates) {
        return candidates.stream().filter(r -> r.status().isElectable()).min(ORDER);
    }

    static boolean isSnapshot(String version) {
        return version.toUpperCase(java.util.Locale.ROOT).endsWith("SNAPSHOT");
    }

    private static int stateRank(ManagementNodeState s) {
        switch (s) {
            case MASTER: return 0;
            case HOT_STANDBY: return 1;
            case STANDBY: return 2;
            default: return 3;
        }
    }

    /** Negative if {@code a} is the higher version (so that higher sorts first). */
    static int compareVersionsDescending(String a, String b) {
        String[] pa = a.split("[.\\-]");
        String[] pb = b.split("[.\\-]");
        for (int i = 0; i < Math.max(pa.length, pb.length); i++) {
            String x = i < pa.length ? pa[i] : "0";
            String y = i < pb.length ? pb[i] : "0";
            int c;
            if (x.matches("\\d{1,18}") && y.matches("\\d{1,18}")) {
                c = Long.compare(Long.parseLong(x), Long.parseLong(y));
            } else {
                c = x.compareTo(y);
            }
            if (c != 0) {
                return -c;
            }
        }
        return 0;
    }
}
