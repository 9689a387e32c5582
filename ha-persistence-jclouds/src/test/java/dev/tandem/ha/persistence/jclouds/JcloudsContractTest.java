package dev.tandem.ha.persistence.jclouds;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jclouds.blobstore.BlobStoreContext;

import dev.tandem.ha.api.store.PlaneStore;

/** The contract on a jclouds blob store: one context per class, a fresh container per test. */
abstract class JcloudsContractTest extends PlaneStoreContractTest {
    /**
     * The timed claim's write bound in these tests: generous for a loaded build machine, where a LIST, a HEAD
     * and a PUT to S3Proxy together (the claim's final window) were measured to take more than 300 ms.
     */
    static final Duration TEST_WRITE_BOUND = Duration.ofSeconds(1);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    protected String container;
    protected String prefix = "";

    protected abstract BlobStoreContext context();

    protected abstract String providerId();

    protected String endpoint() {
        return null;
    }

    @Override
    protected PlaneStore newLocation() {
        container = "tandem-" + getClass().getSimpleName().toLowerCase().replace("contracttest", "") + "-"
                + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        return peer();
    }

    @Override
    protected PlaneStore peer() {
        return new BlobPlaneStore(context(), providerId(), endpoint(), null, container, prefix,
                RetryPolicy.forPollPeriod(Duration.ofSeconds(1)), TEST_WRITE_BOUND,
                List.of(S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL));
    }

    @Override
    protected void makeStoreDisappear() throws Exception {
        context().getBlobStore().deleteContainer(container);
    }

    @Override
    protected void bringStoreBack() throws Exception {
        context().getBlobStore().createContainerInLocation(null, container);
    }

    @Override
    protected PlaneStore.ClaimSupport expectedClaimSupport() {
        return PlaneStore.ClaimSupport.NONE;
    }
}
