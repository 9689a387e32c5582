package dev.tandem.ha.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.PersistMode;
import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;

/**
 * Each persistMode against each kind of store it may meet (empty, holding managed state, used by a live master), on
 * the folder store and on an in-memory store, with the real core: what the joining node becomes and which managed
 * state it then sees. persistMode DISABLED (only with highAvailabilityMode DISABLED) must not touch the store.
 */
class PersistModeMatrixTest {
    enum Store { FOLDER, MEMORY }

    enum Before { EMPTY, STATE, LIVE_MASTER }

    @TempDir
    Path dir;

    private PlaneStore store(Store kind) {
        return kind == Store.FOLDER ? new FolderPlaneStore(dir.resolve("store"))
                : new InMemoryPlaneStore(System::currentTimeMillis);
    }

    private static HaNode node(PlaneStore store, String id, String haMode, PersistMode persistMode) {
        Map<String, String> props = new HashMap<>();
        props.put(HaSettings.HA_MODE, haMode);
        props.put(HaSettings.PERSIST_MODE, persistMode.name());
        props.put(HaSettings.POLL_PERIOD, "1s");
        props.put(HaSettings.HEARTBEAT_TIMEOUT, "30s");
        return new HaNode(TestPlane.settings(props), store, HaClock.SYSTEM, id, "1.0.0");
    }

    private static FencedStateStore state(PlaneStore store, HaNode node) {
        return new FencedStateStore(store, node::actingEpoch, node::cleanEpoch);
    }

    private static Optional<String> read(FencedStateStore s) throws StoreException {
        return s.read("k").map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /** A node that was (and, for LIVE_MASTER, still is) master of the store and wrote k = "before". */
    private static HaNode prepare(PlaneStore store, Before before) throws StoreException {
        if (before == Before.EMPTY) {
            return null;
        }
        HaNode previous = node(store, "previous", "AUTO", PersistMode.AUTO);
        previous.start();
        assertThat(previous.isActingMaster()).isTrue();
        state(store, previous).write("k", "before".getBytes(StandardCharsets.UTF_8));
        if (before == Before.STATE) {
            previous.stop();
        }
        return previous;
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cases() {
        java.util.List<org.junit.jupiter.params.provider.Arguments> out = new java.util.ArrayList<>();
        for (Store s : Store.values()) {
            for (PersistMode m : new PersistMode[] {PersistMode.AUTO, PersistMode.REBIND, PersistMode.CLEAN}) {
                for (Before b : Before.values()) {
                    out.add(org.junit.jupiter.params.provider.Arguments.of(s, m, b));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} store, persistMode {1}, store {2}")
    @org.junit.jupiter.params.provider.MethodSource("cases")
    void persistModeOutcome(Store kind, PersistMode mode, Before before) throws Exception {
        PlaneStore store = store(kind);
        HaNode previous = prepare(store, before);
        HaNode node = node(store, "joining", "AUTO", mode);
        node.start();
        FencedStateStore mine = state(store, node);
        ManagementNodeState state = node.status().state();
        String reason = node.status().failureReason();

        switch (mode) {
            case AUTO:
                // rebind if there is state, else start empty
                assertThat(state).isEqualTo(before == Before.LIVE_MASTER ? ManagementNodeState.HOT_STANDBY : ManagementNodeState.MASTER);
                assertThat(read(mine)).isEqualTo(before == Before.EMPTY ? Optional.empty() : Optional.of("before"));
                break;
            case REBIND:
                if (before == Before.EMPTY) {
                    assertThat(state).isEqualTo(ManagementNodeState.FAILED);
                    assertThat(reason).contains("persistMode REBIND refused").contains("holds no managed state")
                            .contains("AUTO").contains("CLEAN");
                    assertThat(node.isActingMaster()).isFalse();
                    assertThat(read(mine)).isEmpty();
                } else {
                    assertThat(state).isEqualTo(before == Before.LIVE_MASTER ? ManagementNodeState.HOT_STANDBY
                            : ManagementNodeState.MASTER);
                    assertThat(read(mine)).contains("before");
                }
                break;
            default: // CLEAN
                if (before == Before.LIVE_MASTER) {
                    assertThat(state).isEqualTo(ManagementNodeState.FAILED);
                    assertThat(reason).contains("persistMode CLEAN refused").contains("previous (MASTER)")
                            .contains("never wipes the state of a live plane");
                    // the live plane's state is untouched and its master goes on writing
                    assertThat(read(mine)).contains("before");
                    FencedStateStore masters = state(store, previous);
                    assertThat(read(masters)).contains("before");
                    masters.write("k", "after".getBytes(StandardCharsets.UTF_8));
                    assertThat(read(mine)).contains("after");
                } else {
                    assertThat(state).isEqualTo(ManagementNodeState.MASTER);
                    assertThat(read(mine)).as("CLEAN starts empty").isEmpty();
                }
                break;
        }
        if (state == ManagementNodeState.MASTER) {
            assertThat(node.isActingMaster()).isTrue();
            mine.write("k", "mine".getBytes(StandardCharsets.UTF_8));
            assertThat(read(mine)).contains("mine");
        } else {
            assertThat(node.isActingMaster()).isFalse();
            assertThatThrownBy(() -> mine.write("k", "x".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not the acting master");
        }
        node.stop();
        if (previous != null) {
            previous.stop();
        }
    }

    @ParameterizedTest(name = "{0} store")
    @EnumSource(Store.class)
    void persistModeDisabledReadsAndWritesNothing(Store kind) throws Exception {
        CountingPlaneStore counted = new CountingPlaneStore(store(kind), System::nanoTime);
        HaNode node = node(counted, "alone", "DISABLED", PersistMode.DISABLED);
        node.start();
        assertThat(node.status().state()).isEqualTo(ManagementNodeState.MASTER);
        assertThat(node.isActingMaster()).isTrue();
        node.tick();
        node.stop();
        assertThat(counted.counts().values()).allMatch(n -> n == 0L);
        if (kind == Store.FOLDER) {
            assertThat(dir.resolve("store")).doesNotExist();
        }
    }
}
