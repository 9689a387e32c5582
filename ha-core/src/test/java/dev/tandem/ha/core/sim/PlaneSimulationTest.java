package dev.tandem.ha.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/**
 * Runs the randomized plane simulation over many seeds. {@code -Dtandem.sim.seeds=N} sets how many
 * (2,000 by default, as CI runs; use 100000 for a long soak), {@code -Dtandem.sim.firstSeed=S} where to
 * start, and {@code -Dtandem.sim.seed=S} replays one seed and prints its trace ({@code -Dtandem.sim.requests=true}
 * adds every store request to it). ha-persistence-jclouds runs the same with the timed claim.
 */
public class PlaneSimulationTest {

    @Test
    void everySeedKeepsOneMasterAndConverges() throws Exception {
        runFromProperties("", 2000, PlaneSimulation.Options::new);
    }

    /**
     * Replays {@code tandem.sim<prefix>.seed} if set, else runs {@code tandem.sim<prefix>.seeds} seeds (default
     * {@code defaultSeeds}) from {@code tandem.sim<prefix>.firstSeed} (default 1).
     */
    static void runFromProperties(String prefix, int defaultSeeds, Supplier<PlaneSimulation.Options> options)
            throws Exception {
        String one = System.getProperty("tandem.sim" + prefix + ".seed");
        if (one != null) {
            PlaneSimulation.Options o = options.get();
            o.requests = Boolean.getBoolean("tandem.sim.requests");
            PlaneSimulation.Result r = PlaneSimulation.run(Long.parseLong(one), o);
            r.trace().forEach(System.out::println);
            assertThat(r.failure()).isNull();
            return;
        }
        int seeds = Integer.getInteger("tandem.sim" + prefix + ".seeds", defaultSeeds);
        long first = Long.getLong("tandem.sim" + prefix + ".firstSeed", 1);
        runSeeds(seeds, first, options);
    }

    private static void runSeeds(int seeds, long first, Supplier<PlaneSimulation.Options> options) throws Exception {
        int threads = Integer.getInteger("tandem.sim.threads", 16 * Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        AtomicLong events = new AtomicLong();
        AtomicLong worstConvergence = new AtomicLong();
        List<Future<PlaneSimulation.Result>> futures = new ArrayList<>();
        for (long seed = first; seed < first + seeds; seed++) {
            long s = seed;
            futures.add(pool.submit(() -> PlaneSimulation.run(s, options.get())));
        }
        PlaneSimulation.Result firstFailure = null;
        int failures = 0;
        long tightestMargin = Long.MAX_VALUE;
        long tightestSeed = -1;
        for (Future<PlaneSimulation.Result> f : futures) {
            PlaneSimulation.Result r = f.get();
            events.addAndGet(r.events());
            worstConvergence.accumulateAndGet(r.convergenceNanos(), Math::max);
            if (r.ok() && r.targetNanos() - r.convergenceNanos() < tightestMargin) {
                tightestMargin = r.targetNanos() - r.convergenceNanos();
                tightestSeed = r.seed();
            }
            if (!r.ok()) {
                failures++;
                if (failures <= 20) {
                    System.out.println("Seed " + r.seed() + " failed: " + r.failure());
                }
                if (firstFailure == null) {
                    firstFailure = r;
                }
            }
        }
        pool.shutdown();
        double minutes = (System.nanoTime() - started) / 60e9;
        String kind = options.get().timedClaims == null ? "" : " (timed claims)";
        System.out.printf("Plane simulation%s: %d seeds from %d, %d failed, %d events, %.0f seeds/minute on %d threads, "
                + "worst convergence after heal %d ms%n", kind, seeds, first, failures, events.get(), seeds / minutes,
                threads, worstConvergence.get() / 1_000_000);
        System.out.printf("Tightest convergence%s: %d ms before the bound (seed %d)%n", kind,
                tightestMargin / 1_000_000, tightestSeed);
        if (firstFailure != null) {
            System.out.println("First failing seed " + firstFailure.seed() + " (replay with -Dtandem.sim"
                    + (kind.isEmpty() ? "" : ".timed") + ".seed=" + firstFailure.seed() + "):");
            firstFailure.trace().forEach(System.out::println);
        }
        assertThat(failures).as("failing seeds; first: %s", firstFailure == null ? "-" : firstFailure.seed()).isZero();
    }
}
