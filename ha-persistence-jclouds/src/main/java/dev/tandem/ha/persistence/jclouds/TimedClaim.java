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
 * <li>At s, LIST the claims of K, then HEAD K. Lose if K exists, if the own claim is not listed, or if a claim
 *     that is not stale is listed ahead of the own: made with a larger bound, or with the same bound and a lower
 *     id. A claim is stale once this caller first listed it at least S ago (S = (4W + D)(1+ρ)/(1−ρ) + W, with the
 *     W of that claim's writer): never by the store's timestamps.</li>
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
 * <p><b>Each claim names its writer's bound</b> ({@code ID.wMICROS}, W in microseconds rounded up), because the
 * argument above needs the wait D of the caller whose claim landed late to cover the bound W of the other: with
 * {@code tandem.store.maxWriteLatency} set differently on two nodes (A's larger than B's), that holds only one way
 * round. So claims are ordered by bound first (larger first), then by id. If A's claim landed after B's LIST
 * began, A's HEAD came at least D_A after that, and D_A covers W_B: A sees B's K (given up or not). If B's claim
 * landed after A's LIST began, B's own LIST came later still, when A's claim was there: B lists it, live and
 * ahead of its own, and loses (and says which setting is wrong); had A already won and deleted it, B's HEAD would
 * have seen K. A2 holds the same way: a caller whose final write's outcome is unknown keeps
 * its claim until it is stale by its own bound, so a caller with a smaller bound, whose D cannot cover that
 * write, gives way to it. A claim's staleness is judged by its writer's bound, so a slower writer's claim is not
 * ignored too early; a bound read from a name is capped at {@link #MAX_BOUND}. A claim without a bound (a writer
 * that predates this) counts as made with the caller's own.
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
    /** Between a claim's id and its writer's bound W in microseconds, in the claim's name: {@code ID.wMICROS}. */
    static final String BOUND_MARK = ".w";
    /** The largest bound W a node may use, and the largest read from a claim's name (a corrupt name holds no key off longer). */
    public static final Duration MAX_BOUND = Duration.ofMinutes(5);
    /** Keys whose claim sightings are remembered; older ones are forgotten (they are long decided). */
    private static final int REMEMBERED_KEYS = 64;

    private final ClaimBackend backend;
    private final Duration maxWriteLatency;
    private final long w;
    private final long d;
    private final long staleNanos;
    private final ClaimTiming timing;
    /** W in whole microseconds (rounded up), as this caller's claims name it. */
    private final long boundMicros;
    /** The largest bound of another caller this one has warned about (a misconfigured plane is said once). */
    private volatile long warnedBound;
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
        if (maxWriteLatency.isNegative() || maxWriteLatency.isZero() || maxWriteLatency.compareTo(MAX_BOUND) > 0) {
            throw new IllegalArgumentException("maxWriteLatency must be positive and at most " + MAX_BOUND + ": "
                    + maxWriteLatency);
        }
        this.backend = backend;
        this.maxWriteLatency = maxWriteLatency;
        this.timing = timing;
        this.w = maxWriteLatency.toNanos();
        this.d = waitNanos(maxWriteLatency);
        this.staleNanos = staleAfter(maxWriteLatency).toNanos();
        this.boundMicros = (w + 999) / 1_000;
    }

    /**
     * The bound a claim's writer named, in microseconds (at most {@link #MAX_BOUND}'s), or -1 if its name carries
     * none.
     */
    static long boundOf(String claimId) {
        int at = claimId.lastIndexOf(BOUND_MARK);
        int from = at + BOUND_MARK.length();
        if (at < 0 || from == claimId.length() || claimId.length() - from > 18) {
            return -1;
        }
        for (int i = from; i < claimId.length(); i++) {
            char c = claimId.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return Math.min(Long.parseLong(claimId.substring(from)), MAX_BOUND.toNanos() / 1_000);
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
        String id = timing.newClaimId() + BOUND_MARK + boundMicros;
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
            long bound = other.equals(id) ? boundMicros : boundOf(other);
            if (bound < 0) {
                bound = boundMicros; // a claim of a writer that predates bounds in names: as if made with ours
            }
            long staleAfter = bound > boundMicros ? staleAfter(Duration.ofNanos(bound * 1_000)).toNanos() : staleNanos;
            Long first = seen.get(other);
            if (first != null && s.nanos - first >= staleAfter) {
                continue; // stale
            }
            if (bound > boundMicros) {
                warnLargerBound(other, bound);
                return lose(key, id, "claim " + other + " was made with a larger bound (" + bound / 1000
                        + " ms); it holds this node off until it is decided or " + millis(staleAfter) + " ms after "
                        + "this node first listed it");
            }
            if (bound == boundMicros && other.compareTo(id) < 0) {
                return lose(key, id, null);
            }
            // a live claim with a smaller bound gives way to this one (its writer loses when it lists this claim)
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

    private void warnLargerBound(String other, long bound) {
        if (bound > warnedBound) {
            warnedBound = bound;
            LOG.warn("Timed claim: another node claims with a bound of {} µs (claim {}), this node with {} µs. Set "
                    + "tandem.store.maxWriteLatency (or brooklyn.ha.pollPeriod, of which it is half by default) to the "
                    + "same value on every node: until then this node gives way to the claims of nodes with a larger "
                    + "bound, and may not become master while one of them contends.", bound, other, boundMicros);
        }
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
