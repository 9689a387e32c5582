package dev.tandem.ha.persistence.jclouds;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.jclouds.BlobProviders;

/**
 * A PUT whose outcome is unknown is never sent again, neither by the store's retries nor by jclouds' own:
 * a stalled first attempt could land after a later write and bring old bytes back (heartbeat ABA). Reads,
 * and PUTs refused before they were processed, are retried. The store is made by {@link JcloudsStoreFactory}
 * with its defaults, against S3Proxy behind {@link ConditionalS3Front}, which injects the faults.
 */
class PutResendTest {
    private static BlobStoreContext admin;
    private static ConditionalS3Front front;
    private static int counter;

    private final JcloudsStoreFactory factory = new JcloudsStoreFactory();
    private PlaneStore store;
    private String bucket;

    @BeforeAll
    static void start() {
        admin = S3ProxyStoreContractTest.s3Context(S3ProxyServer.shared().endpoint());
        front = new ConditionalS3Front(S3ProxyServer.shared().endpoint(), admin);
    }

    @AfterAll
    static void stop() {
        front.close();
        BlobProviders.close(admin);
    }

    @AfterEach
    void close() {
        front.fault((request, n) -> ConditionalS3Front.Action.FORWARD);
        factory.deactivate();
    }

    private PlaneStore store(String endpoint) throws StoreException {
        bucket = "tandem-resend-" + ProcessHandle.current().pid() + "-" + (++counter);
        Map<String, Object> p = new HashMap<>();
        p.put("brooklyn.location.named.s3", "jclouds:s3:" + endpoint);
        p.put("brooklyn.location.named.s3.identity", S3ProxyServer.IDENTITY);
        p.put("brooklyn.location.named.s3.credential", S3ProxyServer.CREDENTIAL);
        p.put("brooklyn.ha.pollPeriod", "1s");
        PlaneStore s = factory.create("s3", bucket + "/plane-a", p);
        s.open(List.of("plane/nodes/"));
        return s;
    }

    private String path(String key) {
        return "/" + bucket + "/plane-a/" + key;
    }

    @Test
    void aPutWhoseAnswerIsLostIsNotSentAgain() throws Exception {
        store = store(front.endpoint());
        store.put("plane/nodes/a", "h1".getBytes(UTF_8));
        String put = "PUT " + path("plane/nodes/a");
        int before = front.received(put);
        front.fault((request, n) -> request.equals(put) ? ConditionalS3Front.Action.FORWARD_THEN_DROP
                : ConditionalS3Front.Action.FORWARD);
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> store.put("plane/nodes/a", "h2".getBytes(UTF_8)));
        assertThat(front.received(put) - before).as("PUTs of the heartbeat sent for one put()").isEqualTo(1);
        assertThat(failure).isInstanceOf(StoreException.class).hasMessageContaining("may or may not have been applied");
        front.fault((request, n) -> ConditionalS3Front.Action.FORWARD);
        assertThat(new String(store.read("plane/nodes/a").orElseThrow().content(), UTF_8)).as("it was applied").isEqualTo("h2");
    }

    @Test
    void aPutRefusedWithSlowDownIsRetried() throws Exception {
        store = store(front.endpoint());
        String put = "PUT " + path("plane/nodes/b");
        front.fault((request, n) -> request.equals(put) && n == 1 ? ConditionalS3Front.Action.SLOW_DOWN
                : ConditionalS3Front.Action.FORWARD);
        store.put("plane/nodes/b", "x".getBytes(UTF_8));
        assertThat(front.received(put)).isEqualTo(2);
        assertThat(front.forwarded(put)).isEqualTo(1);
    }

    @Test
    void aReadWhoseAnswerIsLostIsRetried() throws Exception {
        store = store(front.endpoint());
        store.put("plane/nodes/c", "x".getBytes(UTF_8));
        String get = "GET " + path("plane/nodes/c");
        front.fault((request, n) -> request.equals(get) && n == 1 ? ConditionalS3Front.Action.FORWARD_THEN_DROP
                : ConditionalS3Front.Action.FORWARD);
        assertThat(new String(store.read("plane/nodes/c").orElseThrow().content(), UTF_8)).isEqualTo("x");
        assertThat(front.received(get)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aPutThatCouldNotConnectIsRetried() throws Exception {
        int closed = S3ProxyServer.freePort();
        Map<String, Object> p = new HashMap<>();
        p.put("brooklyn.location.named.s3", "jclouds:s3:http://127.0.0.1:" + closed);
        p.put("brooklyn.location.named.s3.identity", S3ProxyServer.IDENTITY);
        p.put("brooklyn.location.named.s3.credential", S3ProxyServer.CREDENTIAL);
        BlobPlaneStore s = (BlobPlaneStore) factory.create("s3", "refused/plane-a", p);
        assertThatThrownBy(() -> s.put("plane/nodes/a", new byte[] {1})).isInstanceOf(StoreException.class)
                .hasMessageContaining("Connection refused").hasMessageContaining("attempts)")
                .hasMessageNotContaining("may or may not");
        assertThat(s.requestCounts().get(BlobPlaneStore.Request.PUT)).as("attempts within the retry budget").isBetween(2L, 3L);
    }
}
