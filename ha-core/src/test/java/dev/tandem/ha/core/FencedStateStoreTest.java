package dev.tandem.ha.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.InvalidValueException;
import dev.tandem.ha.api.store.StoreException;

class FencedStateStoreTest {
    private final InMemoryPlaneStore store = new InMemoryPlaneStore(() -> 0L);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void onlyTheActingMasterWrites() throws Exception {
        AtomicLong epoch = new AtomicLong(0);
        FencedStateStore state = new FencedStateStore(store, epoch::get);
        assertThatThrownBy(() -> state.write("app1", b("x"))).isInstanceOf(IllegalStateException.class);
        epoch.set(1);
        state.write("app1", b("one"));
        state.write("app1", b("two"));
        assertThat(state.read("app1")).map(FencedStateStoreTest::s).contains("two");
        state.delete("app1");
        assertThat(state.read("app1")).isEmpty();
        assertThat(store.list(FencedStateStore.VALUES + "app1/")).hasSize(1); // superseded versions pruned
        assertThatThrownBy(() -> state.write("../x", b("x"))).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void aWriteThatOutlivesItsLeaseIsNotAcknowledged() {
        AtomicLong calls = new AtomicLong();
        // acting at the start of the write, no longer when it completes
        FencedStateStore state = new FencedStateStore(store, () -> calls.incrementAndGet() <= 2 ? 1 : 0);
        assertThatThrownBy(() -> state.write("app1", b("x"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("was lost");
    }

    @Test
    void anOldMastersLateWriteIsNeverCurrentOnceTheNewMasterHasWritten() throws Exception {
        AtomicLong oldEpoch = new AtomicLong(1);
        FencedStateStore oldMaster = new FencedStateStore(store, oldEpoch::get);
        oldMaster.write("app1", b("acked by epoch 1"));
        oldMaster.write("app2", b("app2 by epoch 1"));

        AtomicLong newEpoch = new AtomicLong(2);
        FencedStateStore newMaster = new FencedStateStore(store, newEpoch::get);
        assertThat(newMaster.read("app1")).map(FencedStateStoreTest::s).contains("acked by epoch 1");
        newMaster.write("other", b("epoch 2 has written")); // seals epoch 2

        // the old master wakes up and its request lands: a valid-looking version of epoch 1, seq 3
        store.putRaw(FencedStateStore.VALUES + "app1/" + new FencedStateStore.Version(1, 3).name(), b("\u0000stale"));
        store.putRaw(FencedStateStore.VALUES + "app3/" + new FencedStateStore.Version(1, 4).name(), b("\u0000stale"));
        assertThat(newMaster.read("app1")).map(FencedStateStoreTest::s).contains("acked by epoch 1");
        assertThat(newMaster.read("app3")).isEmpty();
        assertThat(newMaster.read("app2")).map(FencedStateStoreTest::s).contains("app2 by epoch 1");

        // and nothing acknowledged is lost across the next failover either
        newMaster.write("app1", b("by epoch 2"));
        FencedStateStore third = new FencedStateStore(store, () -> 3);
        third.write("x", b("seal 3"));
        assertThat(third.read("app1")).map(FencedStateStoreTest::s).contains("by epoch 2");
        assertThat(third.read("app2")).map(FencedStateStoreTest::s).contains("app2 by epoch 1");
    }

    /**
     * Finding 5 of the outside review: the new master read (E, 5); the deposed master's lingering write
     * (E, 6) landed after that read; every read then returned (E, 6), and the new master's first seal made it
     * permanent. The new master seals before it reads, so what it read stays current.
     */
    @Test
    void aLingeringWriteOfTheOldEpochNeverChangesWhatTheNewMasterRead() throws Exception {
        FencedStateStore oldMaster = new FencedStateStore(store, () -> 1);
        for (int i = 1; i <= 5; i++) {
            oldMaster.write("app1", b("v" + i));
        }
        FencedStateStore newMaster = new FencedStateStore(store, () -> 2);
        assertThat(newMaster.read("app1")).map(FencedStateStoreTest::s).contains("v5");
        store.putRaw(FencedStateStore.VALUES + "app1/" + new FencedStateStore.Version(1, 6).name(), b("\u0000v6 lingering"));
        assertThat(newMaster.read("app1")).map(FencedStateStoreTest::s).contains("v5");
        newMaster.write("other", b("x"));
        assertThat(newMaster.read("app1")).map(FencedStateStoreTest::s).contains("v5");
        assertThat(new FencedStateStore(store, () -> 0).read("app1")).map(FencedStateStoreTest::s).contains("v5");
    }
}
