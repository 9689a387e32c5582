package dev.tandem.itests;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Which node a client should write to, as a client of the plane finds out: the node it last wrote to while that
 * one accepts writes; after a refusal or silence, the node that answers GET /v1/server/ha/state with MASTER (one
 * round over all nodes at most every {@link #ROUND_MILLIS} ms, shared by all clients); or the node a 307 names.
 */
final class MasterFinder {

    static final long ROUND_MILLIS = 50;

    private final List<KarafNode> nodes;
    private volatile KarafNode master;
    /** The node that refused or did not answer last: asked last (a SIGSTOPped node makes a client wait its timeout). */
    private KarafNode suspect;
    private long lastRound;

    MasterFinder(List<KarafNode> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** The node to write to, or empty if no node answered MASTER in the latest round. */
    Optional<KarafNode> current() {
        KarafNode m = master;
        if (m != null) {
            return Optional.of(m);
        }
        synchronized (this) {
            if (master == null && System.nanoTime() - lastRound >= ROUND_MILLIS * 1_000_000) {
                lastRound = System.nanoTime();
                master = nodes.stream().sorted(java.util.Comparator.comparing(n -> n == suspect))
                    .filter(n -> n.haState().filter("MASTER"::equals).isPresent()).findFirst().orElse(null);
            }
            return Optional.ofNullable(master);
        }
    }

    /** {@code node} refused a write or did not answer: ask the plane again before the next write. */
    void refusedBy(KarafNode node) {
        synchronized (this) {
            if (master == node) {
                master = null;
            }
            suspect = node;
        }
    }

    /** A 307 named the master: the node listening at that URI's port, if it is one of ours. */
    Optional<KarafNode> redirectedTo(URI location) {
        Optional<KarafNode> to = nodes.stream().filter(n -> n.uri("/").getPort() == location.getPort()).findFirst();
        to.ifPresent(n -> master = n);
        return to;
    }
}
