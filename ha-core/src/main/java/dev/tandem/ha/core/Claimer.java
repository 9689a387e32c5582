package dev.tandem.ha.core;

import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.Durations;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.store.StoreException;

/** Claiming the next epoch, and turning a pending claim into mastership once it is safe. */
final class Claimer {
    private static final Logger LOG = LoggerFactory.getLogger(HaNode.class);

    private final NodeContext n;

    Claimer(NodeContext n) {
        this.n = n;
    }

    /** A mode change to MASTER on a standby: claim now; act once the old master has let go or the fence passed. */
    void takeOver(String why) {
        long now = n.clock.nanoTime();
        String holder = n.epochs.holder();
        Optional<Peer> peer = holder == null ? Optional.empty() : n.io.readPeerQuietly(holder);
        // an unreadable claim (holder unknown) is not a released one: the claim waits for the fence
        boolean released = n.epochs.known() == 0 || peer.map(n.io::isReleased).orElse(false);
        LOG.info("Node {}: {}; taking over from {}", n.nodeId, why, holder == null ? "an unknown holder" : holder);
        claim(now, n.clock.currentTimeMillis(), released, peer.map(Peer::leaseMillis).orElse(0L), why);
    }

    /**
     * Claims epoch {@code known + 1}. The claim is atomic; {@code immediate} says whether the previous holder
     * is known to have stopped acting. If not, the node waits for it to release or for the fence delay, which
     * covers the previous holder's lease ({@code holderLeaseMillis}, 0 if unknown). Nothing after the
     * create can fail: the node is master or pending as soon as it knows it holds the epoch.
     */
    void claim(long start, long startWall, boolean immediate, long holderLeaseMillis, String reason) {
        long expected = n.epochs.known();
        try {
            long newest = n.store.list(PlaneKeys.EPOCHS).stream().mapToLong(PlaneKeys::epochOf).max().orElse(0);
            if (newest > expected) {
                n.io.catchUp();
                n.io.refreshEpoch();
                return; // somebody else claimed first
            }
            long target = expected + 1;
            EpochClaim mine = new EpochClaim(target, n.nodeId, n.settings.nodeUri(), n.clock.currentTimeMillis(), reason);
            n.claims.attempting(new ClaimState.Attempt(target, start, startWall, immediate));
            boolean won = n.store.createIfAbsent(PlaneKeys.epoch(target), RecordCodec.encode(mine));
            n.claims.answered();
            if (!won) {
                n.io.refreshEpoch();
                return;
            }
            long claimed = n.clock.nanoTime(); // the fence counts from here: the claim is visible by now
            String previousHolder = n.epochs.holder();
            n.epochs.advanceTo(target, mine);
            n.lease.start(start, startWall, n.leaseNanos()); // the chain starts before the claim
            if (immediate) {
                n.becomeMaster(target, "won epoch " + target
                        + (previousHolder == null ? "" : " (previous master " + previousHolder + " gone)"));
            } else {
                long fence = fenceNanos(holderLeaseMillis);
                n.claims.startPending(target, claimed, previousHolder, fence);
                LOG.info("Node {} claimed epoch {}; acts as master once {} has stepped down or within {}", n.nodeId,
                        target, previousHolder, Durations.format(Duration.ofNanos(fence)));
                n.io.writeOwnRecord();
            }
        } catch (StoreException e) {
            n.storeFailures.failed("Node " + n.nodeId + " could not claim epoch " + (expected + 1), e);
        }
    }

    /**
     * The fence: the previous holder's lease as measured on the slowest clock, whichever timeout that lease
     * came from (the holder advertises it; this node's own when unknown).
     */
    long fenceNanos(long holderLeaseMillis) {
        double rho = HaSettings.CLOCK_RATE_BOUND;
        long holders = (long) ((holderLeaseMillis + 1) * 1_000_000 * (1 + rho) / (1 - rho)) + 1;
        return Math.max(n.settings.fenceDelay().toNanos(), holders);
    }

    /**
     * A claimed epoch becomes mastership once the previous master has stepped down or the fence has passed,
     * provided this node's own lease chain (started at the claim, renewed by its heartbeats) is unbroken. If
     * the chain broke, the claim is given up once the fence has passed.
     */
    void progress(long tickStart, long tickWall, boolean renewed) {
        ClaimState.Pending p = n.claims.pending();
        long now = n.clock.nanoTime();
        if (n.epochs.known() > p.epoch()) {
            LOG.info("Node {}: epoch {} superseded by {} before it took over", n.nodeId, p.epoch(), n.epochs.known());
            n.claims.dropPending();
            n.watch.reset(now, n.ownTimeoutNanos());
            return;
        }
        boolean leaseValid = n.lease.renew(tickStart, tickWall, now, n.clock.currentTimeMillis(), renewed,
                n.leaseNanos(), n.settings.renewalDeadline().toNanos());
        // released: the previous holder's record, written after it learned of its own epoch, is not MASTER
        boolean released = p.previousHolder() != null && n.io.readPeerQuietly(p.previousHolder())
                .map(r -> r.record().status() != ManagementNodeState.MASTER && r.record().epoch() >= p.epoch() - 1)
                .orElse(false);
        boolean fenced = now - p.fenceAt() >= 0;
        if ((released || fenced) && leaseValid) {
            if (released) {
                n.claims.liftCap(now); // nobody else can be acting: the claim may show as it is
            }
            n.becomeMaster(p.epoch(), "took over epoch " + p.epoch() + (released
                    ? " after " + p.previousHolder() + " stepped down" : " after the fence delay"));
        } else if (fenced || released) {
            // without a lease chain (its heartbeats lapsed, or the claim's answer was lost) it cannot act; once
            // the previous holder has released, nobody acts in either epoch: give the claim up at once, visibly
            LOG.info("Node {} gives up epoch {}: {}", n.nodeId, p.epoch(), released
                    ? p.previousHolder() + " released it, but this node has no lease chain to act on"
                    : "its own heartbeats lapsed while it waited");
            if (released) {
                n.claims.liftCap(now);
            }
            // either way nobody acts in this epoch: the record says so at the next tick, not at the next scheduled
            // heartbeat (T/3 away), since the election's winner waits for this holder's release
            n.io.markDirty();
            n.claims.dropPending();
            n.watch.reset(now, n.ownTimeoutNanos());
        }
    }
}
