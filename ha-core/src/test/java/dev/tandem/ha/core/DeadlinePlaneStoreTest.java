package dev.tandem.ha.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.store.StoreException;

/** Finding 12: a hung request fails for the node after the deadline, instead of holding its poll. */
class DeadlinePlaneStoreTest {

    @Test
    void aHungRequestFailsAfterTheDeadlineAndLaterOnesStillWork() throws Exception {
        InMemoryPlaneStore shared = new InMemoryPlaneStore(() -> 0L);
        CountDownLatch release = new CountDownLatch(1);
        ForwardingPlaneStore hangsOnPut = new ForwardingPlaneStore(shared) {
            @Override
            protected void before(Request request, String key) {
                if (request == Request.PUT && key.equals("hang")) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        try (DeadlinePlaneStore store = new DeadlinePlaneStore(hangsOnPut, () -> Duration.ofMillis(200), 4)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> store.put("hang", "x".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(StoreException.class).hasMessageContaining("within 200 ms");
            assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(2).toNanos());
            store.put("ok", "y".getBytes(StandardCharsets.UTF_8));
            assertThat(store.read("ok")).isPresent();
            // a later write of the hung key must not overtake it: it fails while the first is unanswered
            assertThatThrownBy(() -> store.put("hang", "z".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(StoreException.class).hasMessageContaining("earlier write of the same key");
            release.countDown();
            store.put("hang", "z".getBytes(StandardCharsets.UTF_8));
            assertThat(store.read("hang")).map(o -> new String(o.content(), StandardCharsets.UTF_8)).contains("z");
        }
    }
}
