package dev.tandem.ha.core;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.NodeRecord;
import dev.tandem.ha.api.PlaneView;

/**
 * Warns, once, when this node publishes a loopback URI (127.x, ::1, localhost) while another node of the plane
 * publishes one that is not: the nodes then run on different machines, and links, 403 hints and redirects that
 * name this node point every other machine at itself. Fed with each view of the plane that the node reads.
 */
public final class LoopbackUriCheck {
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackUriCheck.class);

    private final AtomicBoolean warned = new AtomicBoolean();
    private final Consumer<String> warn;

    public LoopbackUriCheck() {
        this(LOG::warn);
    }

    /** For tests: where the warning goes. */
    public LoopbackUriCheck(Consumer<String> warn) {
        this.warn = warn;
    }

    /** Checks {@code view}; logs the warning the first time the condition holds. Returns the warning, if any. */
    public Optional<String> check(PlaneView view) {
        Optional<String> problem = problem(view);
        if (problem.isPresent() && warned.compareAndSet(false, true)) {
            warn.accept(problem.get());
        }
        return problem;
    }

    static Optional<String> problem(PlaneView view) {
        NodeRecord own = view.ownId() == null ? null : view.nodes().get(view.ownId());
        if (own == null || !NodeUriResolver.isLoopback(own.nodeUri())) {
            return Optional.empty();
        }
        List<NodeRecord> remote = view.nodes().values().stream()
                .filter(n -> !n.nodeId().equals(own.nodeId()) && n.nodeUri() != null && !n.nodeUri().isBlank()
                        && !NodeUriResolver.isLoopback(n.nodeUri()))
                .toList();
        if (remote.isEmpty()) {
            return Optional.empty();
        }
        NodeRecord other = remote.get(0);
        return Optional.of("Tandem HA: this node publishes the loopback URI " + own.nodeUri() + " while node "
                + other.nodeId() + " publishes " + other.nodeUri() + ": other machines cannot reach this node at its "
                + "URI (console links, 403 hints and redirects to it are wrong). Set tandem.ha.nodeUri in "
                + "etc/brooklyn.cfg, or org.ops4j.pax.web.listening.addresses in etc/org.ops4j.pax.web.cfg to an "
                + "address other machines reach.");
    }
}
