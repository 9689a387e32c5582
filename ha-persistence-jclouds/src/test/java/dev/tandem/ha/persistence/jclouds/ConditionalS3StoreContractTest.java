package dev.tandem.ha.persistence.jclouds;

import static org.assertj.core.api.Assertions.assertThat;

import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.jclouds.BlobProviders;

/**
 * The contract on the s3 provider over HTTP against an endpoint that honours {@code If-None-Match} (S3Proxy
 * behind {@link ConditionalS3Front}): the self-test must find it, and claims must be single conditional PUTs.
 */
class ConditionalS3StoreContractTest extends JcloudsContractTest {
    private static BlobStoreContext admin;
    private static ConditionalS3Front front;
    private static BlobStoreContext context;

    @BeforeAll
    static void start() {
        S3ProxyServer server = S3ProxyServer.shared();
        admin = S3ProxyStoreContractTest.s3Context(server.endpoint());
        front = new ConditionalS3Front(server.endpoint(), admin);
        context = S3ProxyStoreContractTest.s3Context(front.endpoint());
    }

    @AfterAll
    static void stop() {
        BlobProviders.close(context);
        front.close();
        BlobProviders.close(admin);
    }

    @Override
    protected BlobStoreContext context() {
        return context;
    }

    @Override
    protected String providerId() {
        return "s3";
    }

    @Override
    protected String endpoint() {
        return front.endpoint();
    }

    @Override
    protected PlaneStore.ClaimSupport expectedClaimSupport() {
        return PlaneStore.ClaimSupport.ATOMIC;
    }

    @Test
    void aClaimIsOneConditionalPut() throws Exception {
        BlobPlaneStore s = (BlobPlaneStore) store;
        assertThat(s.describe()).endsWith("(conditional writes)");
        long puts = s.requestCounts().get(BlobPlaneStore.Request.PUT);
        long heads = s.requestCounts().get(BlobPlaneStore.Request.HEAD);
        assertThat(s.createIfAbsent("plane/epochs/0000000000000000007", new byte[] {1})).isTrue();
        assertThat(s.createIfAbsent("plane/epochs/0000000000000000007", new byte[] {2})).isFalse();
        assertThat(s.requestCounts().get(BlobPlaneStore.Request.PUT)).isEqualTo(puts + 2);
        assertThat(s.requestCounts().get(BlobPlaneStore.Request.HEAD)).isEqualTo(heads);
    }

    /**
     * An endpoint that honoured If-None-Match when the node joined and stops honouring it (a new gateway, a
     * proxy in front) is found out at the next claim once the last check is older than the recheck interval:
     * the claim falls back to the timed claim instead of overwriting a claim that exists.
     */
    @Test
    void anEndpointThatStopsHonouringIfNoneMatchIsFoundOutAtTheNextClaim() throws Exception {
        java.util.concurrent.atomic.AtomicLong offset = new java.util.concurrent.atomic.AtomicLong();
        BlobPlaneStore s = new BlobPlaneStore(context, "s3", front.endpoint(), null, container, prefix,
                RetryPolicy.forPollPeriod(java.time.Duration.ofSeconds(1)), TEST_WRITE_BOUND,
                java.util.List.of(S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL), () -> System.nanoTime() + offset.get());
        s.open(PREFIXES);
        assertThat(s.claimSupport()).isEqualTo(PlaneStore.ClaimSupport.ATOMIC);
        assertThat(s.createIfAbsent("plane/epochs/0000000000000000001", new byte[] {1})).isTrue();
        try {
            front.honourConditions = false;
            offset.addAndGet(java.time.Duration.ofHours(1).toNanos());
            assertThat(s.createIfAbsent("plane/epochs/0000000000000000001", new byte[] {2})).as("the claim exists").isFalse();
            assertThat(s.read("plane/epochs/0000000000000000001").orElseThrow().content()).containsExactly(1);
            assertThat(s.claimSupport()).isEqualTo(PlaneStore.ClaimSupport.NONE);
            assertThat(s.describe()).contains("stopped honouring If-None-Match");
        } finally {
            front.honourConditions = true;
        }
    }
}
