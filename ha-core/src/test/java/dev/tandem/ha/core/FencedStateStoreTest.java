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

    /**
     * A seal leaves out deleted keys, and the master deletes what its seal made invalid: versions of deleted
     * keys do not pile up in the store, or in the next seal, across takeovers. A lingering write of a deleted
     * key by an old master is still never current.
     */
    @Test
    void aSealLeavesOutDeletedKeysAndTheMasterCollectsTheirVersions() throws Exception {
        FencedStateStore first = new FencedStateStore(store, () -> 1);
        for (int i = 0; i < 20; i++) {
            first.write("seg" + i, b("segment " + i));
        }
        for (int i = 0; i < 19; i++) {
            first.delete("seg" + i);
        }
        assertThat(store.list(FencedStateStore.VALUES)).hasSize(20); // 19 tombstones and seg19
        assertThat(store.list(FencedStateStore.VALUES + "seg3/")).singleElement().asString().endsWith(FencedStateStore.TOMBSTONE_SUFFIX);

        FencedStateStore second = new FencedStateStore(store, () -> 2);
        second.write("seg20", b("segment 20")); // seals epoch 2, then collects a first part of the garbage
        FencedStateStore.Seal seal = FencedStateStore.parseSeal(store.read(FencedStateStore.SEALS + PlaneKeys.zeroPadded(2))
                .orElseThrow().content()).orElseThrow();
        assertThat(seal.current()).containsOnlyKeys("seg19");
        assertThat(second.garbageLeft()).isEqualTo(19); // collected when the writer is idle, a few at a time
        assertThat(second.tidyUp()).isTrue();
        assertThat(second.garbageLeft()).isEqualTo(19 - 4);
        second.write("seg21", b("segment 21"));
        second.write("seg22", b("segment 22"));
        while (second.tidyUp()) {
            // until nothing is left
        }
        assertThat(second.garbageLeft()).isZero();
        assertThat(new FencedStateStore(store, () -> 0).tidyUp()).as("a node that is not the master tidies nothing").isFalse();
        assertThat(store.list(FencedStateStore.VALUES)).extracting(k -> k.substring(FencedStateStore.VALUES.length(), k.lastIndexOf('/')))
                .containsExactly("seg19", "seg20", "seg21", "seg22");

        // the old master's write of a deleted key lands late: never current
        store.putRaw(FencedStateStore.VALUES + "seg3/" + new FencedStateStore.Version(1, 2).name(), b("\u0000stale"));
        assertThat(second.read("seg3")).isEmpty();
        assertThat(second.read("seg19")).map(FencedStateStoreTest::s).contains("segment 19");
        FencedStateStore third = new FencedStateStore(store, () -> 3);
        third.write("x", b("seal 3"));
        assertThat(third.read("seg3")).isEmpty();
        assertThat(third.read("seg21")).map(FencedStateStoreTest::s).contains("segment 21");
    }

    /** A seal is read once per epoch, however many reads judge versions by it; an absent key costs two listings. */
    @Test
    void sealsAreCachedAndAnAbsentKeyCostsTwoListings() throws Exception {
        new FencedStateStore(store, () -> 1).write("app1", b("v1"));
        CountingPlaneStore counting = new CountingPlaneStore(store);
        FencedStateStore reader = new FencedStateStore(counting, () -> 0);
        for (int i = 0; i < 10; i++) {
            assertThat(reader.read("app1")).map(FencedStateStoreTest::s).contains("v1");
        }
        // per read: the seals listed twice, the versions once, the current version read; the seal itself once
        assertThat(counting.counts().get("list")).isEqualTo(30L);
        assertThat(counting.counts().get("read")).isEqualTo(11L);

        long before = counting.total();
        assertThat(reader.read("nothing-here")).isEmpty();
        assertThat(counting.total() - before).isEqualTo(2); // the seals listed, the versions listed: none
    }

    /** A run of keys (a journal's tail) is judged at one look at the seals: 2 listings of them, not 2 per key. */
    @Test
    void aRunOfKeysIsReadAtOneLookAtTheSealsAndEndsAtTheFirstAbsentKey() throws Exception {
        FencedStateStore master = new FencedStateStore(store, () -> 1);
        for (int i = 1; i <= 3; i++) {
            master.write("seg" + i, b("s" + i));
        }
        CountingPlaneStore counting = new CountingPlaneStore(store);
        FencedStateStore reader = new FencedStateStore(counting, () -> 0);
        assertThat(reader.readUntilAbsent(java.util.List.of("seg1", "seg2", "seg3", "seg4", "seg5")))
            .extracting(FencedStateStoreTest::s).containsExactly("s1", "s2", "s3");
        // the seals listed twice; the versions of seg1..seg4 listed (seg4 has none: the run ends there)
        assertThat(counting.counts().get("list")).isEqualTo(6L);
        // the three current versions, and the seal itself once (then cached)
        assertThat(counting.counts().get("read")).isEqualTo(4L);

        master.delete("seg2");
        assertThat(reader.readUntilAbsent(java.util.List.of("seg1", "seg2", "seg3")))
            .extracting(FencedStateStoreTest::s).containsExactly("s1");
        long before = counting.total();
        assertThat(reader.readUntilAbsent(java.util.List.of("seg9", "seg1"))).isEmpty();
        assertThat(counting.total() - before).as("nothing new: as a read of an absent key").isEqualTo(2);
    }

    /**
     * A new master seals while a run is being read, and an old master's lingering write lands after that seal: the
     * run is read again and judged by the new seal, so the lingering write is never returned (as for {@link
     * FencedStateStore#read}).
     */
    @Test
    void aRunReadWhileANewMasterSealsIsJudgedByTheNewSeal() throws Exception {
        FencedStateStore oldMaster = new FencedStateStore(store, () -> 1);
        oldMaster.write("seg1", b("s1"));
        oldMaster.write("seg2", b("s2 acknowledged"));
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        ForwardingPlaneStore racing = new ForwardingPlaneStore(store) {
            @Override
            public java.util.List<String> list(String prefix) throws StoreException {
                java.util.List<String> listed = super.list(prefix);
                if (prefix.equals(FencedStateStore.VALUES + "seg1/") && once.compareAndSet(false, true)) {
                    new FencedStateStore(store, () -> 2).write("other", b("epoch 2 sealed")); // a new master
                    store.putRaw(FencedStateStore.VALUES + "seg2/" + new FencedStateStore.Version(1, 99).name(),
                            b("\u0000s2 lingering")); // the old master's request lands after the new seal
                }
                return listed;
            }
        };
        FencedStateStore reader = new FencedStateStore(racing, () -> 0);
        assertThat(reader.readUntilAbsent(java.util.List.of("seg1", "seg2", "seg3")))
            .extracting(FencedStateStoreTest::s).containsExactly("s1", "s2 acknowledged");
        assertThat(reader.read("seg2")).map(FencedStateStoreTest::s).contains("s2 acknowledged");
    }

    /**
     * A seal whose write failed ambiguously is written again with the same bytes, so the first attempt landing
     * late changes nothing: a seal never changes once written (which is what lets readers cache it).
     */
    @Test
    void aSealIsRetriedWithTheSameBytes() throws Exception {
        new FencedStateStore(store, () -> 1).write("app1", b("v1"));
        java.util.List<byte[]> sealWrites = new java.util.ArrayList<>();
        ForwardingPlaneStore faulty = new ForwardingPlaneStore(store) {
            @Override
            public void put(String key, byte[] content) throws StoreException {
                if (key.startsWith(FencedStateStore.SEALS)) {
                    sealWrites.add(content.clone());
                    if (sealWrites.size() == 1) {
                        throw new StoreException("injected: the seal's answer was lost, its request lingers");
                    }
                }
                super.put(key, content);
            }
        };
        FencedStateStore master = new FencedStateStore(faulty, () -> 2);
        assertThatThrownBy(() -> master.write("app2", b("x"))).isInstanceOf(StoreException.class);
        // meanwhile an old master's lingering write lands: the second attempt does not list it again
        store.putRaw(FencedStateStore.VALUES + "app3/" + new FencedStateStore.Version(1, 9).name(), b("\u0000stale"));
        master.write("app2", b("x"));
        assertThat(sealWrites).hasSize(2);
        assertThat(sealWrites.get(1)).isEqualTo(sealWrites.get(0));
        store.putRaw(FencedStateStore.SEALS + PlaneKeys.zeroPadded(2), sealWrites.get(0)); // the first attempt lands
        assertThat(master.read("app3")).isEmpty();
        assertThat(master.read("app1")).map(FencedStateStoreTest::s).contains("v1");
    }

    /**
     * A master that keeps its epoch seals it again after enough deletes: its own tombstones are left out and
     * collected, and its own failed write that lands late (below the new seal's cut) is never current.
     */
    @Test
    void aLongLivedMasterSealsAgainAndCollectsItsOwnTombstones() throws Exception {
        FencedStateStore master = new FencedStateStore(store, () -> 7, () -> 0, 3);
        for (int i = 0; i < 6; i++) {
            master.write("seg" + i, b("segment " + i));
        }
        master.delete("seg0");
        master.delete("seg1");
        assertThat(store.list(FencedStateStore.SEALS)).containsExactly(FencedStateStore.SEALS + PlaneKeys.zeroPadded(7));
        master.delete("seg2"); // the third tombstone: sealed again at (7, 9)
        FencedStateStore.Version cut = new FencedStateStore.Version(7, 9);
        assertThat(store.list(FencedStateStore.SEALS)).containsExactly(FencedStateStore.SEALS + PlaneKeys.zeroPadded(7),
            FencedStateStore.SEALS + cut.name());
        assertThat(FencedStateStore.sealPosition(FencedStateStore.SEALS + cut.name())).contains(cut);
        FencedStateStore.Seal seal = FencedStateStore.parseSeal(store.read(FencedStateStore.SEALS + cut.name()).orElseThrow()
            .content()).orElseThrow();
        assertThat(seal.position()).isEqualTo(cut);
        assertThat(seal.current()).containsOnlyKeys("seg3", "seg4", "seg5");
        master.write("seg6", b("segment 6"));
        assertThat(master.tidyUp()).isTrue(); // collects the three tombstones
        assertThat(master.garbageLeft()).isZero();
        assertThat(master.tidyUp()).isFalse();
        assertThat(store.list(FencedStateStore.VALUES)).extracting(k -> k.substring(FencedStateStore.VALUES.length(), k.lastIndexOf('/')))
            .containsExactly("seg3", "seg4", "seg5", "seg6");

        // an own write of seq 8 that failed and lands now, below the cut: never current
        store.putRaw(FencedStateStore.VALUES + "seg1/" + new FencedStateStore.Version(7, 8).name(), b("\u0000late"));
        store.putRaw(FencedStateStore.VALUES + "seg4/" + new FencedStateStore.Version(7, 9).name(), b("\u0000late"));
        assertThat(master.read("seg1")).isEmpty();
        assertThat(master.read("seg4")).map(FencedStateStoreTest::s).contains("segment 4");
        FencedStateStore next = new FencedStateStore(store, () -> 8);
        next.write("x", b("seal 8"));
        assertThat(next.read("seg1")).isEmpty();
        assertThat(next.read("seg4")).map(FencedStateStoreTest::s).contains("segment 4");
        assertThat(next.read("seg6")).map(FencedStateStoreTest::s).contains("segment 6");
    }

    /** A store that refuses deletes makes tidyUp fail (the caller then waits) and keeps the garbage for later. */
    @Test
    void aFailedCleanupThrowsAndKeepsTheGarbage() throws Exception {
        FencedStateStore first = new FencedStateStore(store, () -> 1);
        first.write("a", b("1"));
        first.delete("a");
        java.util.concurrent.atomic.AtomicBoolean refuse = new java.util.concurrent.atomic.AtomicBoolean();
        ForwardingPlaneStore flaky = new ForwardingPlaneStore(store) {
            @Override
            public void delete(String key) throws StoreException {
                if (refuse.get()) {
                    throw new StoreException("injected: the store is down");
                }
                super.delete(key);
            }
        };
        FencedStateStore second = new FencedStateStore(flaky, () -> 2);
        second.write("b", b("2")); // seals epoch 2: the tombstone of "a" is garbage
        assertThat(second.garbageLeft()).isEqualTo(1);
        refuse.set(true);
        assertThatThrownBy(second::tidyUp).isInstanceOf(StoreException.class);
        assertThat(second.garbageLeft()).isEqualTo(1);
        refuse.set(false);
        assertThat(second.tidyUp()).isTrue();
        assertThat(second.garbageLeft()).isZero();
    }
}
