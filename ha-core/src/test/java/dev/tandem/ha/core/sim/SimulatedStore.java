package dev.tandem.ha.core.sim;

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
    }

    private final Simulation sim;
    private final SharedStore shared;
    private final Link link;
    private final Random rng;
    private final Supplier<Long> resumeNotBefore;
    private final long baseLatencyNanos;

    SimulatedStore(Simulation sim, SharedStore shared, Link link, Random rng, Supplier<Long> resumeNotBefore,
            long baseLatencyNanos) {
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

    private <T> T call(String what, Effect<T> effect) throws StoreException {
        Simulation.Process p = sim.currentProcess();
        if (p == null) {
            return effect.apply(); // from the test thread (views): instantaneous
        }
        long latency = 1 + (long) (rng.nextDouble() * baseLatencyNanos) + link.extraLatencyNanos
                + (long) (rng.nextDouble() * shared.extraLatencyNanos);
        if (link.extraLatencyNanos > 0 || shared.extraLatencyNanos > 0) {
            link.slowedUntil = Math.max(link.slowedUntil, sim.now() + latency);
        }
        boolean down = link.cut || shared.down;
        boolean before = down || rng.nextDouble() < link.failBefore;
        boolean after = !before && rng.nextDouble() < link.failAfter;
        long effectAt = sim.now() + (long) (rng.nextDouble() * latency);
        if (!before && !after && link.linger > 0 && rng.nextDouble() < link.linger && link.lingerUntil > sim.now() + latency) {
            after = true; // the sender gives up; the request arrives later, before the faults heal
            effectAt = sim.now() + latency + (long) (rng.nextDouble() * (link.lingerUntil - sim.now() - latency));
        }
        Object[] result = new Object[1];
        if (!before) {
            // the request reaches the store: it takes effect even if the answer is lost, or its sender dies
            sim.at(effectAt, () -> {
                if (!shared.down) {
                    result[0] = effect.apply();
                } else {
                    result[0] = FAILED;
                }
            });
        }
        p.sleep(latency, resumeNotBefore);
        if (before || after || result[0] == FAILED) {
            throw new StoreException("simulated failure of " + what + (after ? " (answer lost)" : ""));
        }
        @SuppressWarnings("unchecked")
        T t = (T) result[0];
        return t;
    }

    private static final Object FAILED = new Object();

    @Override
    public String describe() {
        return "simulated";
    }

    @Override
    public ClaimSupport claimSupport() {
        return ClaimSupport.ATOMIC;
    }

    @Override
    public void open(List<String> prefixes) throws StoreException {
        call("open", () -> Boolean.TRUE);
    }

    @Override
    public Optional<StoredObject> read(String key) throws StoreException {
        return call("read " + key, () -> shared.read(key));
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
