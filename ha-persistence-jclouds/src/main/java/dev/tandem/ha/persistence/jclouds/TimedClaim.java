package dev.tandem.ha.persistence.jclouds;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.store.StoreException;

/**
 * Create-if-absent on a store without conditional writes (a variant of Fischer's timed mutual exclusion).
 * docs/persistence.md states what it guarantees and under which assumptions; in short, with W the bound
 * ({@code maxWriteLatency}), ρ the clock rate bound and every duration measured on the caller's own
 * monotonic clock:
 *
 * <ol>
 * <li>HEAD K: if it exists, lose.</li>
 * <li>PUT the claim {@code ID} of K; lose if that took longer than W.</li>
 * <li>Wait D = 2W(1+ρ)/(1−ρ) after the PUT returned; lose if the wait overran by more than W.</li>
 * <li>At s, LIST the claims of K, then HEAD K. Lose if K exists, if the own claim is not listed, or if a lower
 *     id is listed that is not stale. A claim is stale once this caller first listed it at least S ago
 *     (S = (4W + D)(1+ρ)/(1−ρ) + W): never by the store's timestamps.</li>
 * <li>PUT K, sent only before s + W, and wait for its answer until s + W at most. Answered by then: won (the
 *     listed claims are deleted). Refused before it was processed: lost. Otherwise (no answer by s + W, an
 *     answer after it, a failure that leaves its outcome unknown): the outcome is unknown, a
 *     {@link StoreException} says so, and no claim is deleted.</li>
 * </ol>
 *
 * <p><b>At most one caller returns true</b>, with no assumption about the network: if A and B both won, one
 * of them, say A, did not list B's claim, so B's claim landed after A's LIST began (at s_A), and B's HEAD of K
 * came at least D/(1+ρ) after it. A's PUT of K was answered, so applied, within W/(1−ρ) of s_A (measured),
 * which is earlier: B saw K and lost. A stale claim is safely ignored: its writer finishes (its PUT of K
 * lands, or never will) within (4W + D)/(1−ρ) of writing it, before the ignoring caller's HEAD of K.
 *
 * <p>Every bound that a decision relies on as an upper bound (the claim's write, the wait's overrun, the final
 * write's answer) is measured on both the monotonic and the wall clock, and the larger is believed: a monotonic
 * clock that stopped (VM suspend, host sleep) cannot make a slow step look fast. Staleness, which needs a lower
 * bound on the time passed, is measured on the monotonic clock alone (a wall clock may jump forward).
 *
 * <p><b>No late write of K overwrites the winner's</b> if (assumption A2) a write is applied within W of
 * the moment its sender last checked the clock before sending it, or never: a final PUT that was given up
 * lands before s + 2W, and D/(1+ρ) > 2W/(1−ρ) puts that before any other caller's HEAD of K. If A2 fails (a
 * write held in a proxy for seconds, then applied), a given-up PUT can overwrite K after another caller won;
 * the caller that gave it up never returned true, but readers of K then see its content.
 */
public final class TimedClaim implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TimedClaim.class);
    /** ρ: the clock rate bound, as ha-core assumes (HaSettings.CLOCK_RATE_BOUND). */
    static final double RHO = 0.01;
    /** Keys whose claim sightings are remembered; older ones are forgotten (they are long decided). */
    private static final int REMEMBERED_KEYS = 64;

    private final ClaimBackend backend;
    private final Duration maxWriteLatency;
    private final long w;
    private final long d;
    private final long staleNanos;
    private final ClaimTiming timing;
    /** Per key, per claim id: when this caller's LIST that first showed it ended (own monotonic clock). */
    private final Map<String, Map<String, Long>> sightings = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Long>> eldest) {
            return size() > REMEMBERED_KEYS;
        }
    };

    /**
     * @param backend         the store's requests, in plane keys and claim ids
     * @param maxWriteLatency W, the bound every step relies on
     * @param timing          the caller's clocks, waits, bounded write and claim ids; closed by {@link #close()}
     */
    public TimedClaim(ClaimBackend backend, Duration maxWriteLatency, ClaimTiming timing) {
        if (maxWriteLatency.isNegative() || maxWriteLatency.isZero()) {
            throw new IllegalArgumentException("maxWriteLatency must be positive: " + maxWriteLatency);
        }
        this.backend = backend;
        this.maxWriteLatency = maxWriteLatency;
        this.timing = timing;
        this.w = maxWriteLatency.toNanos();
        this.d = waitNanos(maxWriteLatency);
        this.staleNanos = staleAfter(maxWriteLatency).toNanos();
    }

    /** A reading of both clocks. */
    private record Mark(long nanos, long wallMillis) {}

    private Mark mark() {
        return new Mark(timing.nanoTime(), timing.currentTimeMillis());
    }

    /** The time from {@code a} to {@code b} as an upper bound: the larger of the two clocks' readings. */
    private static long upTo(Mark a, Mark b) {
        return Math.max(b.nanos - a.nanos, (b.wallMillis - a.wallMillis) * 1_000_000);
    }

    /** D: a caller that wrote its claim after another's LIST must not HEAD K before the other's PUT of K landed. */
    public static long waitNanos(Duration maxWriteLatency) {
        return (long) Math.ceil(2 * maxWriteLatency.toNanos() * (1 + RHO) / (1 - RHO)) + 1_000_000;
    }

    Duration maxWriteLatency() {
        return maxWriteLatency;
    }

    /** S: how long an unfinished claim holds higher ids off after a caller first listed it, at bound W. */
    public static Duration staleAfter(Duration maxWriteLatency) {
        long w = maxWriteLatency.toNanos();
        return Duration.ofNanos((long) Math.ceil((4 * w + waitNanos(maxWriteLatency)) * (1 + RHO) / (1 - RHO)) + w);
    }

    Duration staleAfter() {
        return Duration.ofNanos(staleNanos);
    }

    /** Creates {@code key} with {@code content} if no caller did: true if this caller did. */
    public boolean create(String key, byte[] content) throws StoreException {
        if (backend.exists(key)) {
            return false;
        }
        String id = timing.newClaimId();
        Mark s1 = mark();
        try {
            backend.writeClaim(key, id);
        } catch (StoreException | RuntimeException e) {
            backend.deleteClaim(key, id); // may leave an orphan if the write lands later: ignored once stale
            throw e;
        }
        Mark e1 = mark();
        if (upTo(s1, e1) > w) {
            return lose(key, id, "writing the claim took " + millis(upTo(s1, e1)) + " ms, more than the bound");
        }
        try {
            return decide(key, content, id, e1);
        } catch (OutcomeUnknown e) {
            throw e; // the own claim stays: it holds higher ids off until stale, by which time K has landed or never will
        } catch (StoreException | RuntimeException e) {
            backend.deleteClaim(key, id);
            throw e;
        }
    }

    private boolean decide(String key, byte[] content, String id, Mark e1) throws StoreException {
        sleepUntil(e1.nanos + d);
        Mark s = mark();
        if (upTo(e1, s) > d + w) {
            return lose(key, id, "the wait overran by " + millis(upTo(e1, s) - d) + " ms (a pause?)");
        }
        List<String> ids = backend.claimIds(key);
        Map<String, Long> seen = saw(key, ids, now());
        if (!ids.contains(id)) {
            return lose(key, id, "its claim was not listed");
        }
        for (String other : ids) {
            Long first = seen.get(other);
            boolean stale = first != null && s.nanos - first >= staleNanos;
            if (!stale && other.compareTo(id) < 0) {
                return lose(key, id, null);
            }
        }
        if (backend.exists(key)) {
            return lose(key, id, null);
        }
        return publish(key, content, id, ids, s);
    }

    /** The final PUT: sent only before s + W, and waited for until s + W at most. */
    private boolean publish(String key, byte[] content, String id, List<String> ids, Mark s) throws StoreException {
        Boolean written;
        try {
            written = timing.writeBy(s.nanos + w, () -> backend.publish(key, content));
        } catch (TimeoutException e) {
            throw new OutcomeUnknown(key, "its final write was not answered within the bound ("
                    + maxWriteLatency.toMillis() + " ms from the last check); it may still land");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutcomeUnknown(key, "interrupted while its final write was in flight");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NotAppliedException) {
                return lose(key, id, "its final write was refused before it was processed: " + e.getCause().getMessage());
            }
            throw new OutcomeUnknown(key, "its final write failed: " + e.getCause().getMessage());
        }
        Mark answered = mark();
        if (written == null) {
            return lose(key, id, "the bound ran out before its final write could be sent");
        }
        if (!written) {
            return lose(key, id, null); // the endpoint honoured If-None-Match: K exists
        }
        if (upTo(s, answered) > w) {
            throw new OutcomeUnknown(key, "its final write was answered " + millis(upTo(s, answered))
                    + " ms after the last check, more than the bound; another caller may have missed it");
        }
        for (String other : ids) {
            backend.deleteClaim(key, other);
        }
        forget(key);
        return true;
    }

    private synchronized Map<String, Long> saw(String key, List<String> ids, long listEnded) {
        Map<String, Long> seen = sightings.computeIfAbsent(key, k -> new HashMap<>());
        seen.keySet().retainAll(ids);
        for (String id : ids) {
            seen.putIfAbsent(id, listEnded);
        }
        return new HashMap<>(seen);
    }

    private synchronized void forget(String key) {
        sightings.remove(key);
    }

    private boolean lose(String key, String id, String why) {
        if (why != null) {
            LOG.info("Timed claim of {} given up: {} (bound {} ms); the caller retries later", key, why,
                    maxWriteLatency.toMillis());
        }
        backend.deleteClaim(key, id);
        return false;
    }

    private long now() {
        return timing.nanoTime();
    }

    private void sleepUntil(long deadline) throws StoreException {
        try {
            timing.sleepUntil(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted during a timed claim");
        }
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    @Override
    public void close() {
        timing.close();
    }

    /** The claim's final write may or may not have been applied: neither won nor lost. */
    public static final class OutcomeUnknown extends StoreException {
        private static final long serialVersionUID = 1L;

        OutcomeUnknown(String key, String why) {
            super("timed claim of " + key + ": " + why + "; the claim may or may not have been made (the caller "
                    + "finds out by reading it)");
        }
    }
}
