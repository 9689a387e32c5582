package dev.tandem.ha.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.apps.journal.JournalCodec.Position;
import dev.tandem.ha.apps.journal.JournalKeys;
import dev.tandem.ha.apps.journal.JournalReader;
import dev.tandem.ha.apps.journal.JournalWriter;
import dev.tandem.ha.apps.model.Change;
import dev.tandem.ha.apps.model.EntityRecord;
import dev.tandem.ha.apps.model.ManagedModel;

class JournalTest {
    static final EntityRecord APP = new EntityRecord("app", "app", "T", "app", null, List.of("e1"), Map.of(), Map.of());
    static final EntityRecord E1 = new EntityRecord("e1", "e1", "T", "app", "app", List.of(), Map.of(), Map.of());

    private static JournalWriter writer(MemoryStateStore store, ManagedModel model, int snapshotEvery) {
        return new JournalWriter(store, model, Position.START, 0, () -> 7, snapshotEvery);
    }

    @Test
    void concurrentWritesShareOneSegment() throws Exception {
        MemoryStateStore store = new MemoryStateStore();
        ManagedModel model = new ManagedModel();
        try (JournalWriter w = writer(store, model, 1000)) {
            w.submit(new Change.Deploy(List.of(APP, E1))).get();
            store.holdWrites = new CountDownLatch(1);
            CompletableFuture<Boolean> first = w.submit(new Change.SetSensors("e1", Map.of("n", 0)));
            await().until(() -> store.holdWrites.getCount() == 1 && w.segmentsWritten() == 1); // first is in flight
            List<CompletableFuture<Boolean>> rest = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                rest.add(w.submit(new Change.SetSensors("e1", Map.of("n", i))));
            }
            store.holdWrites.countDown();
            store.holdWrites = null;
            first.get();
            for (CompletableFuture<Boolean> f : rest) {
                assertThat(f.get()).isTrue();
            }
            // deploy, the held write, and the 100 queued behind it in ONE more segment
            assertThat(w.segmentsWritten()).isEqualTo(3);
            assertThat(model.entity("e1").orElseThrow().sensors()).containsEntry("n", 100);
        }
    }

    @Test
    void aWriteTheStoreRefusesIsNotAppliedAndItsSegmentIsReplaced() throws Exception {
        MemoryStateStore store = new MemoryStateStore();
        ManagedModel model = new ManagedModel();
        try (JournalWriter w = writer(store, model, 1000)) {
            w.submit(new Change.Deploy(List.of(APP, E1))).get();
            store.failWrites = true;
            assertThatThrownBy(() -> w.submit(new Change.SetSensors("e1", Map.of("x", 1))).get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StoreException.class);
            assertThat(model.entity("e1").orElseThrow().sensors()).doesNotContainKey("x");
            store.failWrites = false;
            w.submit(new Change.SetSensors("e1", Map.of("y", 2))).get();
            assertThat(w.position().seq()).isEqualTo(2); // the refused segment's number is reused
        }
        JournalReader r = JournalReader.load(store);
        assertThat(r.model().entity("e1").orElseThrow().sensors()).containsEntry("y", 2).doesNotContainKey("x");
    }

    @Test
    void aHotCopyFollowsByKnownKeysAndSurvivesSnapshotsAndCompaction() throws Exception {
        MemoryStateStore store = new MemoryStateStore();
        ManagedModel model = new ManagedModel();
        try (JournalWriter w = writer(store, model, 3)) {
            w.submit(new Change.Deploy(List.of(APP, E1))).get();
            JournalReader copy = JournalReader.load(store);
            for (int i = 0; i < 10; i++) {
                w.submit(new Change.SetSensors("e1", Map.of("n", i))).get();
                int before = store.reads.get();
                assertThat(copy.poll()).isEqualTo(1);
                assertThat(store.reads.get() - before).isEqualTo(2); // the new segment, and the next (absent) key
                assertThat(copy.model().entity("e1").orElseThrow().sensors()).containsEntry("n", i);
            }
            assertThat(store.values).containsKey(JournalKeys.SNAPSHOT);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)) // deleted when the writer is idle
                .untilAsserted(() -> assertThat(store.values).doesNotContainKey(JournalKeys.segment(1)));
            // a reader that fell behind the compaction notices it through the snapshot head and loads again
            JournalReader late = JournalReader.resume(store, new ManagedModel(), new Position(1, "stale"));
            for (int i = 0; i < JournalReader.HEAD_CHECK_EVERY; i++) {
                late.poll();
            }
            assertThat(late.model().entity("e1").orElseThrow().sensors()).containsEntry("n", 9);
        }
    }

    /**
     * Compaction is housekeeping: segments the previous snapshot covered are deleted when no write is waiting,
     * one at a time, never all at once in front of a write.
     */
    @Test
    void segmentsAreDeletedWhenTheWriterIsIdle() throws Exception {
        MemoryStateStore store = new MemoryStateStore();
        ManagedModel model = new ManagedModel();
        try (JournalWriter w = writer(store, model, 10)) {
            w.submit(new Change.Deploy(List.of(APP, E1))).get();
            for (int i = 0; i < 40; i++) {
                w.submit(new Change.SetSensors("e1", Map.of("n", i))).get();
            }
            // the newest snapshot is at 40, the one before at 30: segments up to 30 go, 31-41 are still needed
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> {
                for (int seg = 1; seg <= 30; seg++) {
                    assertThat(store.values).doesNotContainKey(JournalKeys.segment(seg));
                }
            });
            for (int seg = 31; seg <= 41; seg++) {
                assertThat(store.values).containsKey(JournalKeys.segment(seg));
            }
        }
    }

    @Test
    void aReplacedSegmentMakesTheCopyLoadAgain() throws Exception {
        MemoryStateStore store = new MemoryStateStore();
        ManagedModel model = new ManagedModel();
        try (JournalWriter w = writer(store, model, 1000)) {
            w.submit(new Change.Deploy(List.of(APP, E1))).get();
        }
        JournalReader copy = JournalReader.load(store);
        // an unacknowledged segment 2 that the copy saw ...
        store.values.put(JournalKeys.segment(2), dev.tandem.ha.apps.journal.JournalCodec.segment(2, 7,
                copy.position().hash(), List.of(new Change.SetSensors("e1", Map.of("phantom", true)))));
        copy.poll();
        assertThat(copy.model().entity("e1").orElseThrow().sensors()).containsKey("phantom");
        // ... replaced by the master's real segment 2, followed by segment 3
        ManagedModel master = JournalReader.load(store).model();
        store.values.remove(JournalKeys.segment(2));
        ManagedModel fresh = JournalReader.load(store).model();
        try (JournalWriter w = new JournalWriter(store, fresh, JournalReader.load(store).position(), 0, () -> 8, 1000)) {
            w.submit(new Change.SetSensors("e1", Map.of("real", 1))).get();
            w.submit(new Change.SetSensors("e1", Map.of("real", 2))).get();
        }
        copy.poll();
        assertThat(copy.model().entity("e1").orElseThrow().sensors()).containsEntry("real", 2).doesNotContainKey("phantom");
        assertThat(copy.loads()).isEqualTo(2);
        assertThat(master).isNotNull();
    }

    @Test
    void aCopyNoticesAStateStartedAfreshAndATakeoverStartsFromIt() throws Exception {
        MemoryStateStore store = new MemoryStateStore();
        try (JournalWriter w = writer(store, new ManagedModel(), 1000)) {
            w.submit(new Change.Deploy(List.of(APP, E1))).get();
            w.submit(new Change.SetSensors("e1", Map.of("n", 1))).get();
        }
        JournalReader copy = JournalReader.load(store);
        JournalReader promoted = JournalReader.load(store);
        assertThat(copy.model().entityCount()).isEqualTo(2);
        // persistMode CLEAN: a new master's clean seal makes every key of the old state read as absent
        store.values.clear();
        for (int i = 0; i < JournalReader.HEAD_CHECK_EVERY; i++) {
            copy.poll();
        }
        assertThat(copy.model().entityCount()).as("the idle copy read its last segment again and loaded").isZero();
        assertThat(copy.position().seq()).isZero();
        promoted.poll();
        promoted.verifyPosition(); // what a hot standby does when it takes over
        assertThat(promoted.model().entityCount()).isZero();
        assertThat(promoted.position().seq()).isZero();
    }
}
