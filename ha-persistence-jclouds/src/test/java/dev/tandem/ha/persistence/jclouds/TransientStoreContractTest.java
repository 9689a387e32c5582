package dev.tandem.ha.persistence.jclouds;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tandem.jclouds.BlobProviders;

/** The contract on jclouds' in-memory {@code transient} provider. */
class TransientStoreContractTest extends JcloudsContractTest {
    private static BlobStoreContext context;

    @BeforeAll
    static void createContext() {
        context = BlobProviders.newContext("transient", null, null, null, new Properties());
    }

    @AfterAll
    static void closeContext() {
        BlobProviders.close(context);
    }

    @Override
    protected BlobStoreContext context() {
        return context;
    }

    @Override
    protected String providerId() {
        return "transient";
    }

    /**
     * A claim left behind by a writer that died between writing it and deleting it holds other claimants
     * off while it could still win, and is ignored (and removed by the winner) once stale.
     */
    @Test
    void anOrphanClaimBlocksOnlyUntilItIsStale() throws Exception {
        String key = "plane/epochs/0000000000000000001";
        String orphan = StoreLayout.CLAIMS + key + "/00000000000000000000000000000000";
        context.getBlobStore().putBlob(container, context.getBlobStore().blobBuilder(orphan).payload(new byte[] {1}).build());
        long start = System.nanoTime();
        assertThat(store.createIfAbsent(key, new byte[] {2})).as("the orphan has the lowest id").isFalse();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ZERO).until(() -> store.createIfAbsent(key, new byte[] {3}));
        System.out.println("orphan claim ignored as stale after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        assertThat(store.read(key).orElseThrow().content()).containsExactly(3);
        assertThat(context.getBlobStore().list(container, org.jclouds.blobstore.options.ListContainerOptions.Builder
                .prefix(StoreLayout.CLAIMS + key + "/").recursive())).as("the winner cleans up the claims it listed").isEmpty();
    }
}
