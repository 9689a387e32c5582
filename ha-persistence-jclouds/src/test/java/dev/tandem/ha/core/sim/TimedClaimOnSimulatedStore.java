package dev.tandem.ha.core.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.core.HaClock;
import dev.tandem.ha.persistence.jclouds.ClaimBackend;
import dev.tandem.ha.persistence.jclouds.ClaimTiming;
import dev.tandem.ha.persistence.jclouds.TimedClaim;

/**
 * The store module's {@link TimedClaim}, unchanged, on a node's simulated connection: its HEAD, PUT, LIST and
 * DELETE are simulated requests (with their latency, failures, lost answers and pauses); its waits are
 * simulated time on the node's own (drifting, possibly stopping) clocks; its final write's deadline cuts the
 * wait for the answer while the write may still land. The store has no {@code If-None-Match}: the final write
 * is a plain overwrite, the weakest case.
 */
final class TimedClaimOnSimulatedStore implements PlaneSimulation.TimedClaims {

    @Override
    public SimulatedStore.TimedCreate on(SimulatedStore connection, HaClock clock, Random ids, long maxWriteLatencyNanos) {
        TimedClaim claim = new TimedClaim(new Backend(connection), Duration.ofNanos(maxWriteLatencyNanos),
                new Timing(connection, clock, ids));
        return claim::create;
    }

    @Override
    public long extraConvergenceNanos(long maxWriteLatencyNanos) {
        Duration w = Duration.ofNanos(maxWriteLatencyNanos);
        // an orphan claim holds a key off for its staleness, then a claim waits D and makes its requests
        return TimedClaim.staleAfter(w).toNanos() + TimedClaim.waitNanos(w) + 4 * maxWriteLatencyNanos;
    }

    private static final class Backend implements ClaimBackend {
        private final SimulatedStore store;

        Backend(SimulatedStore store) {
            this.store = store;
        }

        private static String folder(String key) {
            return SimulatedStore.CLAIMS + key + "/";
        }

        @Override
        public boolean exists(String key) throws StoreException {
            return store.exists(key);
        }

        @Override
        public void writeClaim(String key, String id) throws StoreException {
            store.put(folder(key) + id, new byte[] {1});
        }

        @Override
        public List<String> claimIds(String key) throws StoreException {
            List<String> ids = new ArrayList<>();
            for (String name : store.list(folder(key))) {
                ids.add(name.substring(folder(key).length()));
            }
            return ids;
        }

        @Override
        public boolean publish(String key, byte[] content) throws StoreException {
            store.put(key, content);
            return true;
        }

        @Override
        public void deleteClaim(String key, String id) {
            try {
                store.delete(folder(key) + id);
            } catch (StoreException e) {
                // an orphan claim is ignored once stale
            }
        }
    }

    private static final class Timing implements ClaimTiming {
        private final SimulatedStore store;
        private final HaClock clock;
        private final Random ids;

        Timing(SimulatedStore store, HaClock clock, Random ids) {
            this.store = store;
            this.clock = clock;
            this.ids = ids;
        }

        @Override
        public long nanoTime() {
            return clock.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
            return clock.currentTimeMillis();
        }

        @Override
        public void sleepUntil(long deadlineNanos) {
            for (long left = deadlineNanos - clock.nanoTime(); left > 0; left = deadlineNanos - clock.nanoTime()) {
                store.sleep(left);
            }
        }

        @Override
        public Boolean writeBy(long deadlineNanos, Callable<Boolean> write) throws TimeoutException, ExecutionException {
            long left = deadlineNanos - clock.nanoTime();
            if (left <= 0) {
                return null;
            }
            try {
                return store.within(left, write);
            } catch (SimulatedStore.NoAnswerInTime e) {
                throw new TimeoutException(e.getMessage());
            } catch (Exception e) {
                throw new ExecutionException(e);
            }
        }

        @Override
        public String newClaimId() {
            return String.format("%016x", ids.nextLong());
        }

        @Override
        public void close() {
            // nothing to release
        }
    }
}
