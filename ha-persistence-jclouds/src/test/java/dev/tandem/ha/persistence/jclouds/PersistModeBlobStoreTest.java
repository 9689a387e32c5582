package dev.tandem.ha.persistence.jclouds;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.PersistMode;
import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.core.FencedStateStore;
import dev.tandem.ha.core.HaClock;
import dev.tandem.ha.core.HaNode;
import dev.tandem.ha.core.HaSettings;
import dev.tandem.jclouds.BlobProviders;

/**
 * persistMode on a blob store (jclouds' in-memory {@code transient} provider) with the real core, as on the folder
 * store: each mode against an empty store, a store holding managed state, and a store with a live master.
 */
class PersistModeBlobStoreTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static BlobStoreContext context;

    enum Before { EMPTY, STATE, LIVE_MASTER }

    @BeforeAll
    static void createContext() {
        context = BlobProviders.newContext("transient", null, null, null, new Properties());
    }

    @AfterAll
    static void closeContext() {
        BlobProviders.close(context);
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (PersistMode m : new PersistMode[] {PersistMode.AUTO, PersistMode.REBIND, PersistMode.CLEAN}) {
            for (Before b : Before.values()) {
                out.add(Arguments.of(m, b));
            }
        }
        return out.stream();
    }

    private static PlaneStore store(String container) {
        return new BlobPlaneStore(context, "transient", null, null, container, "plane",
                RetryPolicy.forPollPeriod(Duration.ofSeconds(1)), Duration.ofMillis(200), List.of()); // in memory: writes take far less
    }

    private static HaNode node(PlaneStore store, String id, PersistMode persistMode) throws Exception {
        HaSettings settings = HaSettings.from(Map.of(HaSettings.HA_MODE, "AUTO", HaSettings.PERSIST_MODE, persistMode.name(),
                HaSettings.POLL_PERIOD, "1s", HaSettings.HEARTBEAT_TIMEOUT, "30s", HaSettings.NODE_URI,
                "http://127.0.0.1:8081"), Path.of("/unused"));
        return new HaNode(settings, store, HaClock.SYSTEM, id, "1.0.0");
    }

    private static FencedStateStore state(PlaneStore store, HaNode node) {
        return new FencedStateStore(store, node::actingEpoch, node::cleanEpoch);
    }

    private static Optional<String> read(FencedStateStore s) throws StoreException {
        return s.read("k").map(b -> new String(b, StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "persistMode {0}, store {1}")
    @MethodSource("cases")
    void persistModeOutcome(PersistMode mode, Before before) throws Exception {
        PlaneStore store = store("tandem-persistmode-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
        HaNode previous = null;
        if (before != Before.EMPTY) {
            previous = node(store, "previous", PersistMode.AUTO);
            previous.start();
            assertThat(previous.isActingMaster()).isTrue();
            state(store, previous).write("k", "before".getBytes(StandardCharsets.UTF_8));
            if (before == Before.STATE) {
                previous.stop();
            }
        }
        HaNode node = node(store, "joining", mode);
        node.start();
        ManagementNodeState state = node.status().state();
        String reason = String.valueOf(node.status().failureReason());
        Optional<String> seen = read(state(store, node));

        boolean refused = mode == PersistMode.REBIND && before == Before.EMPTY
                || mode == PersistMode.CLEAN && before == Before.LIVE_MASTER;
        if (refused) {
            assertThat(state).isEqualTo(ManagementNodeState.FAILED);
            assertThat(reason).contains("persistMode " + mode + " refused");
        } else {
            assertThat(state).isEqualTo(before == Before.LIVE_MASTER ? ManagementNodeState.HOT_STANDBY : ManagementNodeState.MASTER);
        }
        boolean empty = before == Before.EMPTY || mode == PersistMode.CLEAN && before == Before.STATE;
        assertThat(seen).isEqualTo(empty ? Optional.empty() : Optional.of("before"));
        if (previous != null && before == Before.LIVE_MASTER) {
            assertThat(previous.isActingMaster()).isTrue();
            assertThat(read(state(store, previous))).contains("before"); // a live plane's state is never wiped
            previous.stop();
        }
        node.stop();
    }
}
