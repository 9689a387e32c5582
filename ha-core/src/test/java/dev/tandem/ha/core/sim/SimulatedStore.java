package dev.tandem.ha.core.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.api.store.StoredObject;

/**
 * One node's connection to the simulated store. Every request takes simulated time (latency, sometimes
 * long); its effect happens at a random instant inside that time (its linearization point), so other
 * nodes can see a write before its writer gets the answer. Requests can fail before taking effect
 * (outage, injected error) or after (a lost answer: the write happened, the writer thinks it did not).
 */
final class SimulatedStore implements PlaneStore {
    /** Faults that apply to one node's connection; changed by the scenario. */
    static final class Link {
        boolean cut;
        long extraLatencyNanos;
        double failBefore;
        double failAfter;
        /** Probability that a request times out for its sender but lingers and takes effect much later. */
        double linger;
        /** The latest instant a lingering request may take effect (faults heal by then). */
        long lingerUntil;
        /** When the last request slowed by a latency fault (this link's or the store's) completes. */
        long slowedUntil;
        /**
         * Probability that a lingering request is also resent by the store's client (a retry with identical
         * bytes, answered at once) while the first attempt lands later. Never for a plain write: a store
         * may not resend a write whose outcome is unknown ({@code PlaneStore#put}).
         */
        double resend;
    }

    /** Create-if-absent on a store without conditional writes: the timed claim, run on this connection's requests. */
    interface TimedCreate {
        boolean create(String key, byte[] content) throws StoreException;
    }

    /** A request whose answer did not come within the time its sender waited: it may still take effect. */
    static final class NoAnswerInTime extends StoreException {
        private static final long serialVersionUID = 1L;

        NoAnswerInTime(String what) {
            super("no answer in time to " + what);
        }
    }

    /** Set for runs with the timed claim: then this store has no atomic create. */
    TimedCreate timedCreate;
    /**
     * For runs with the timed claim, its assumption A2: a write of a claim or of an epoch key takes effect
     * within this long of being sent, or never (0: no such bound).
     */
    long claimWriteBoundNanos;
    /** How long the next request's sender waits for the answer (-1: until it comes). */
    private long answerBudget = -1;

    private final Simulation sim;
    private final SharedStore shared;
    private final Link link;
    private final Random rng;
    private final Supplier<Long> resumeNotBefore;
    private final long baseLatencyNanos;
    /** Where every request goes, with its sender and times, when a replay asks for it; else null. */
    private final java.util.function.Consumer<String> requestLog;

    SimulatedStore(Simulation sim, SharedStore shared, Link link, Random rng, Supplier<Long> resumeNotBefore,
            long baseLatencyNanos, java.util.function.Consumer<String> requestLog) {
        this.requestLog = requestLog;
        this.sim = sim;
        this.shared = shared;
        this.link = link;
        this.rng = rng;
        this.resumeNotBefore = resumeNotBefore;
        this.baseLatencyNanos = baseLatencyNanos;
    }

    private interface Effect<T> {
        T apply();
    }

    /** A request on its way: when its answer comes, and whether it fails before or after taking effect. */
    private static final class Request {
        final String what;
        long latency;
        boolean before;
        boolean after;
        final Object[] result = new Object[1];

        Request(String what) {
            this.what = what;
        }
    }

    private <T> T call(String what, Effect<T> effect) throws StoreException {
        Simulation.Process p = sim.currentProcess();
        if (p == null) {
            return effect.apply(); // from the test thread (views): instantaneous
        }
        long budget = answerBudget;
        answerBudget = -1;
        Request r = send(what, effect);
        long sent = sim.now();
        if (budget >= 0 && r.latency > budget) {
            p.sleep(budget, resumeNotBefore);
            logRequest(p, sent, List.of(r));
            throw new NoAnswerInTime(what);
        }
        p.sleep(r.latency, resumeNotBefore);
        logRequest(p, sent, List.of(r));
        return answer(r);
    }

    /** Runs {@code request} (one request on this connection), waiting at most {@code budgetNanos} for its answer. */
    <T> T within(long budgetNanos, java.util.concurrent.Callable<T> request) throws Exception {
        answerBudget = Math.max(0, budgetNanos);
        try {
            return request.call();
        } finally {
            answerBudget = -1;
        }
    }

    /** From the calling process: lets {@code nanos} of simulated time pass (a pause stretches it). */
    void sleep(long nanos) {
        sim.currentProcess().sleep(Math.max(1, nanos), resumeNotBefore);
    }

    private Request send(String what, Effect<?> effect) {
        Request r = new Request(what);
        r.latency = 1 + (long) (rng.nextDouble() * baseLatencyNanos) + link.extraLatencyNanos
                + (long) (rng.nextDouble() * shared.extraLatencyNanos);
        if (link.extraLatencyNanos > 0 || shared.extraLatencyNanos > 0) {
            link.slowedUntil = Math.max(link.slowedUntil, sim.now() + r.latency);
        }
        boolean down = link.cut || shared.down;
        r.before = down || rng.nextDouble() < link.failBefore;
        r.after = !r.before && rng.nextDouble() < link.failAfter;
        long effectAt = sim.now() + (long) (rng.nextDouble() * r.latency);
        boolean claimWrite = claimWriteBoundNanos > 0
                && (what.startsWith("put plane/epochs/") || what.startsWith("put " + CLAIMS));
        if (!r.before && !r.after && link.linger > 0 && rng.nextDouble() < link.linger
                && link.lingerUntil > sim.now() + r.latency) {
            r.after = true; // the sender gives up; the request arrives later, possibly after the heal
            effectAt = sim.now() + r.latency + (long) (rng.nextDouble() * (link.lingerUntil - sim.now() - r.latency));
            link.slowedUntil = Math.max(link.slowedUntil, effectAt);
            if (rng.nextDouble() < link.resend && !what.startsWith("put ")) {
                r.after = false; // the client's retry, identical, takes effect within the latency and is answered
                sim.at(sim.now() + (long) (rng.nextDouble() * r.latency), () -> r.result[0] = shared.down ? FAILED : effect.apply());
                long late = effectAt;
                sim.at(late, () -> {
                    if (!shared.down) {
                        effect.apply(); // the first attempt lands late: its answer goes nowhere
                    }
                });
                return r;
            }
        }
        if (claimWrite && effectAt - sim.now() > claimWriteBoundNanos) {
            r.before = true; // A2: a claim write lands within the bound or never
            r.after = false;
        }
        if (!r.before) {
            // the request reaches the store: it takes effect even if the answer is lost, or its sender dies
            sim.at(effectAt, () -> r.result[0] = shared.down ? FAILED : effect.apply());
        }
        return r;
    }

    private void logRequest(Simulation.Process p, long sent, List<Request> requests) {
        if (requestLog != null) {
            for (Request r : requests) {
                requestLog.accept(String.format("  %s %s, sent at %.3fs, %d ms%s", p.name, r.what, sent / 1e9,
                        r.latency / 1_000_000, r.before || r.after || r.result[0] == FAILED ? ", FAILED" : ""));
            }
        }
    }

    private static <T> T answer(Request r) throws StoreException {
        if (r.before || r.after || r.result[0] == FAILED) {
            throw new StoreException("simulated failure of " + r.what + (r.after ? " (answer lost)" : ""));
        }
        @SuppressWarnings("unchecked")
        T t = (T) r.result[0];
        return t;
    }

    private static final Object FAILED = new Object();

    @Override
    public String describe() {
        return "simulated";
    }

    /** Where the timed claim keeps its claim marks, as a blob store does. */
    static final String CLAIMS = ".tandem-claims/";

    @Override
    public ClaimSupport claimSupport() {
        return timedCreate == null ? ClaimSupport.ATOMIC : ClaimSupport.NONE;
    }

    @Override
    public void open(List<String> prefixes) throws StoreException {
        call("open", () -> Boolean.TRUE);
    }

    @Override
    public Optional<StoredObject> read(String key) throws StoreException {
        return call("read " + key, () -> shared.read(key));
    }

    /** The reads go out together, as a blob store's concurrent reads do; the answer waits for the slowest. */
    @Override
    public List<Optional<StoredObject>> readAll(List<String> keys) throws StoreException {
        Simulation.Process p = sim.currentProcess();
        if (p == null || keys.size() < 2) {
            return PlaneStore.super.readAll(keys);
        }
        List<Request> requests = new ArrayList<>();
        long slowest = 0;
        for (String key : keys) {
            Request r = send("read " + key, () -> shared.read(key));
            requests.add(r);
            slowest = Math.max(slowest, r.latency);
        }
        long sent = sim.now();
        p.sleep(slowest, resumeNotBefore);
        logRequest(p, sent, requests);
        List<Optional<StoredObject>> out = new ArrayList<>();
        for (Request r : requests) {
            out.add(answer(r));
        }
        return out;
    }

    @Override
    public boolean exists(String key) throws StoreException {
        return call("exists " + key, () -> shared.read(key).isPresent());
    }

    @Override
    public void put(String key, byte[] content) throws StoreException {
        call("put " + key, () -> {
            shared.put(key, content);
            return Boolean.TRUE;
        });
    }

    @Override
    public boolean createIfAbsent(String key, byte[] content) throws StoreException {
        if (timedCreate != null && sim.currentProcess() != null) {
            return timedCreate.create(key, content);
        }
        return call("create " + key, () -> shared.createIfAbsent(key, content));
    }

    @Override
    public void delete(String key) throws StoreException {
        call("delete " + key, () -> {
            shared.delete(key);
            return Boolean.TRUE;
        });
    }

    @Override
    public List<String> list(String prefix) throws StoreException {
        return call("list " + prefix, () -> shared.list(prefix));
    }
}
