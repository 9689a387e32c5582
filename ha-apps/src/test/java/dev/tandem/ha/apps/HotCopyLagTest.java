package dev.tandem.ha.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.ManagedStateStore;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.PersistMode;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.apps.journal.JournalCodec.Position;
import dev.tandem.ha.apps.journal.JournalWriter;
import dev.tandem.ha.apps.model.Change;
import dev.tandem.ha.apps.model.ManagedModel;

/**
 * The hot copy's lag on a stepped clock: the time since the start of the last tail read that reached the journal's
 * end, whatever the writer's clock says; absent whenever the node keeps no copy.
 */
class HotCopyLagTest {
    private static final long MS = 1_000_000;

    private final AtomicLong nanos = new AtomicLong(1_000 * MS);
    private volatile ManagementNodeState state = ManagementNodeState.HOT_STANDBY;
    private final HighAvailabilityService ha = (HighAvailabilityService) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {HighAvailabilityService.class}, (p, m, a) -> switch (m.getName()) {
                case "getState" -> state;
                case "isActingMaster" -> false;
                case "getEpoch" -> 1L;
                default -> throw new UnsupportedOperationException(m.getName());
            });
    private final MemoryStateStore memory = new MemoryStateStore();
    private volatile boolean failReads;
    /** Each read takes 10 ms of the stepped clock, so a read's start and end differ. */
    private final ManagedStateStore store = new ManagedStateStore() {
        @Override
        public void write(String key, byte[] value) throws StoreException {
            memory.write(key, value);
        }

        @Override
        public void delete(String key) throws StoreException {
            memory.delete(key);
        }

        @Override
        public Optional<byte[]> read(String key) throws StoreException {
            nanos.addAndGet(10 * MS);
            if (failReads) {
                throw new StoreException("store unreachable (test)");
            }
            return memory.read(key);
        }
    };

    @Test
    void theLagIsTheTimeSinceTheStartOfTheLastReadThatReachedTheJournalsEnd() throws Exception {
        HotCopyLag lag = new HotCopyLag(nanos::get);
        assertThat(lag.hotCopyLagMillis()).isEmpty();
        lag.caughtUp(nanos.get());
        nanos.addAndGet(250 * MS);
        assertThat(lag.hotCopyLagMillis()).hasValue(250);
        lag.clear();
        assertThat(lag.hotCopyLagMillis()).isEmpty();
    }

    @Test
    void aHotStandbysLagFollowsItsTailReadsAndStoreFailures() throws Exception {
        try (JournalWriter writer = writer(); AppsRuntime runtime = runtime(PersistMode.AUTO)) {
            writer.submit(new Change.Deploy(List.of(JournalTest.APP, JournalTest.E1))).get();
            HotCopyLag lag = runtime.lag();
            assertThat(lag.hotCopyLagMillis()).as("no copy loaded yet").isEmpty();

            long loadStart = nanos.get();
            runtime.step(); // loads: head, segment 1, segment 2 (absent): 3 reads
            assertThat(runtime.model().entityCount()).isEqualTo(2);
            assertThat(lag.hotCopyLagMillis()).as("since the start of the load, 3 reads ago").hasValue(30);

            nanos.addAndGet(500 * MS);
            runtime.step(); // before the tail period: no read
            assertThat(lag.hotCopyLagMillis()).hasValue(530);

            writer.submit(new Change.SetSensors("e1", Map.of("n", 1))).get();
            nanos.set(loadStart + 1_000 * MS);
            runtime.step(); // the tail: segment 2 (applied), segment 3 (absent)
            assertThat(runtime.model().entity("e1").orElseThrow().sensors()).containsEntry("n", 1);
            assertThat(lag.hotCopyLagMillis()).as("since this read's start, 2 reads ago").hasValue(20);

            failReads = true;
            nanos.set(loadStart + 2_000 * MS);
            runtime.step();
            nanos.set(loadStart + 3_000 * MS);
            runtime.step();
            assertThat(lag.hotCopyLagMillis()).as("the store cannot be read: the lag grows from the last good read")
                    .hasValue(2_010); // and the 10 ms of the failed read

            failReads = false;
            runtime.step();
            assertThat(lag.hotCopyLagMillis()).as("a failed read is tried again after a role check, not at once")
                    .hasValue(2_010); // no read: the clock did not move
            nanos.addAndGet(AppsRuntime.ROLE_CHECK.toNanos());
            runtime.step();
            assertThat(lag.hotCopyLagMillis()).hasValue(10);

            state = ManagementNodeState.STANDBY;
            runtime.step();
            assertThat(lag.hotCopyLagMillis()).as("a STANDBY keeps no copy").isEmpty();
            assertThat(runtime.model()).isNull();
        }
    }

    /**
     * Driven as the runtime's loop drives it (a step every 10 ms here), with every read taking 10 ms: the lag never
     * reaches the tail period, and keeps a tenth of it to spare.
     */
    @Test
    void aHotCopyNeverLagsByTheTailPeriod() throws Exception {
        try (JournalWriter writer = writer(); AppsRuntime runtime = runtime(PersistMode.AUTO)) {
            writer.submit(new Change.Deploy(List.of(JournalTest.APP, JournalTest.E1))).get();
            runtime.step(); // loads
            long worst = 0;
            for (int i = 0; i < 1_000; i++) {
                nanos.addAndGet(10 * MS);
                worst = Math.max(worst, runtime.lag().hotCopyLagMillis().orElseThrow());
                runtime.step();
            }
            assertThat(worst).as("the largest lag over 10 s of tail reads").isLessThanOrEqualTo(920);
        }
    }

    @Test
    void persistModeDisabledKeepsNoCopyAndNoLag() {
        try (AppsRuntime runtime = runtime(PersistMode.DISABLED)) {
            runtime.step();
            assertThat(runtime.lag().hotCopyLagMillis()).isEmpty();
        }
    }

    /** The master's journal writer on the shared memory store. */
    private JournalWriter writer() {
        return new JournalWriter(memory, new ManagedModel(), Position.START, 0, () -> 1, 1000);
    }

    /** This node's runtime: a tail period of 1 s, on the stepped clock. */
    private AppsRuntime runtime(PersistMode mode) {
        return new AppsRuntime(ha, store, new AppsRuntime.Settings(mode, Duration.ofSeconds(1), 1000), nanos::get);
    }
}
