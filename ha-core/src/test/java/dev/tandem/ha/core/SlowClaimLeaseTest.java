package dev.tandem.ha.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;

/**
 * A lease counts from the start of the claim, so a slow claim (the timed claim on a store without conditional
 * writes waits about 2W and makes about six requests) leaves the new master a shortened lease. Its renewal
 * must still start a quarter poll before the lease ends, not at the next poll a few milliseconds before:
 * found by the plane simulation with the timed claim (seed 807), where the master lost its fresh lease at the
 * first renewal because the heartbeat's answer came 4 ms after the lease had run out.
 */
class SlowClaimLeaseTest {
    private static final long MS = 1_000_000L;
    private static final long POLL = 1_000 * MS;

    @Test
    void aLeaseShortenedByASlowClaimIsRenewedAQuarterPollBeforeItEnds() {
        SimTime time = new SimTime();
        InMemoryPlaneStore memory = new InMemoryPlaneStore(time::millis);
        HaSettings settings = TestPlane.settings(Map.of(HaSettings.POLL_PERIOD, "1s", HaSettings.HEARTBEAT_TIMEOUT, "3s",
                HaSettings.HA_MODE, "AUTO"));
        // T = 3 s, P = 1 s: a lease of about 1.94 s. Every write takes 50 ms; the claim takes long enough to leave
        // the lease just over one poll when the claiming tick ends.
        long claimNanos = settings.lease().toNanos() - POLL - 3 * 50 * MS - 20 * MS;
        PlaneStore slow = new ForwardingPlaneStore(memory) {
            @Override
            public void put(String key, byte[] content) throws StoreException {
                time.advanceTo(time.nanos() + 50 * MS);
                super.put(key, content);
            }

            @Override
            public boolean createIfAbsent(String key, byte[] content) throws StoreException {
                if (key.startsWith(PlaneKeys.EPOCHS)) {
                    time.advanceTo(time.nanos() + claimNanos);
                }
                return super.createIfAbsent(key, content);
            }
        };
        HaNode node = new HaNode(settings, slow, new ManualClock(time::nanos, 0, 0), "n00", "1.0.0");
        node.start();
        for (int i = 0; i < 10 && !node.isActingMaster(); i++) {
            time.advanceTo(time.nanos() + node.nextTickDelay());
            node.tick();
        }
        assertThat(node.isActingMaster()).as("master after its claim").isTrue();
        long left = node.leaseRemainingNanos();
        assertThat(left).as("lease left after the claim").isBetween(POLL, POLL + POLL / 4);
        assertThat(node.nextTickDelay()).as("the renewal comes a quarter poll before the lease ends")
                .isLessThanOrEqualTo(left - POLL / 4);

        long end = time.nanos() + Duration.ofSeconds(30).toNanos();
        while (time.nanos() < end) {
            time.advanceTo(time.nanos() + node.nextTickDelay());
            node.tick();
            assertThat(node.isActingMaster()).as("still master at %d ms", time.nanos() / MS).isTrue();
        }
    }
}
