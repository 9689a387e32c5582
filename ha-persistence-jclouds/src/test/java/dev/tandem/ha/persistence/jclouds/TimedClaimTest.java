package dev.tandem.ha.persistence.jclouds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.internal.PageSetImpl;
import org.jclouds.blobstore.domain.internal.StorageMetadataImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.store.StoreException;

/**
 * The timed claim (stores without conditional writes) against an instrumented in-memory blob store: a
 * claim wins only if its final write was answered within the bound it relies on, measured on the node's
 * clock from before the last check until the answer; a final write that does not answer is given up at the
 * bound; and no decision compares store timestamps written by different requests.
 */
class TimedClaimTest {
    /** Generous for a loaded build machine: only a write that a hook delays or blocks is to exceed it. */
    private static final Duration W = Duration.ofSeconds(1);
    private static final String KEY = "plane/epochs/0000000000000000001";
    private static final String CLAIMS = ".tandem-claims/" + KEY + "/";

    private InstrumentedContext ctx;
    private BlobPlaneStore store;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void setUp() throws Exception {
        ctx = new InstrumentedContext();
        ctx.blobStore().createContainerInLocation(null, "claims");
        store = new BlobPlaneStore(ctx.context, "transient", null, null, "claims", "", RetryPolicy.none(), W,
                List.of(), ctx::clock);
        store.open(List.of("plane/epochs/"));
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        store.close();
        ctx.close();
    }

    private void putRaw(String name) {
        Blob b = ctx.blobStore().blobBuilder(name).payload(new byte[] {9}).build();
        ctx.blobStore().putBlob("claims", b);
    }

    private static boolean isFinalPut(String method, Object[] args) {
        return method.equals("putBlob") && args.length > 1 && args[1] instanceof Blob b && b.getMetadata().getName().equals(KEY);
    }

    /**
     * The final PUT was answered only after the bound (a slow request, or a pause of the process between the
     * last check and the send): another claimant's HEAD may have missed it, so this is no win; the other
     * claimants' claims are left alone.
     */
    @Test
    void aFinalPutAnsweredAfterTheBoundIsNotAWin() throws Exception {
        String other = CLAIMS + "ffffffffffffffffffffffffffffffff";
        putRaw(other);
        ctx.hook(new InstrumentedContext.Hook() {
            @Override
            public void before(String method, Object[] args) {
                if (isFinalPut(method, args)) {
                    ctx.advance(2 * W.toNanos());
                }
            }
        });
        Boolean[] won = {null};
        Throwable t = catchThrowable(() -> won[0] = store.createIfAbsent(KEY, new byte[] {1}));
        assertThat(won[0]).as("won").isNotEqualTo(Boolean.TRUE);
        assertThat(t).as("a final write slower than the bound: outcome unknown").isInstanceOf(StoreException.class)
                .hasMessageContaining("may or may not");
        assertThat(ctx.blobStore().blobExists("claims", other)).as("another claimant's claim is left alone").isTrue();
    }

    /** A final PUT that hangs is given up at the bound: the claim does not wait for the socket timeout. */
    @Test
    void aFinalPutThatDoesNotAnswerIsGivenUpAtTheBound() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ctx.hook(new InstrumentedContext.Hook() {
            @Override
            public void before(String method, Object[] args) throws Exception {
                if (isFinalPut(method, args)) {
                    release.await(30, TimeUnit.SECONDS);
                }
            }
        });
        try {
            Future<Boolean> claim = pool.submit(() -> store.createIfAbsent(KEY, new byte[] {1}));
            Throwable t = catchThrowable(() -> claim.get(10, TimeUnit.SECONDS));
            assertThat(t).as("the claim returns while its final PUT still hangs")
                    .isInstanceOf(java.util.concurrent.ExecutionException.class)
                    .hasCauseInstanceOf(StoreException.class);
            assertThat(t.getCause()).hasMessageContaining("may or may not");
        } finally {
            release.countDown();
        }
    }

    /**
     * A claim listed with a store timestamp ten minutes old (written through a gateway whose clock is behind)
     * was written just now: it must hold off a claimant with a higher id, whatever its timestamp says.
     */
    @Test
    void aClaimIsNotIgnoredAsStaleBecauseOfItsStoreTimestamp() throws Exception {
        String lower = CLAIMS + "00000000000000000000000000000000";
        putRaw(lower);
        ctx.hook(new InstrumentedContext.Hook() {
            @Override
            public Object after(String method, Object[] args, Object result) {
                if (!method.equals("list") || !(result instanceof PageSet<?> page)) {
                    return result;
                }
                List<StorageMetadata> out = new ArrayList<>();
                for (Object o : page) {
                    StorageMetadata m = (StorageMetadata) o;
                    if (m.getName().equals(lower)) {
                        m = new StorageMetadataImpl(m.getType(), m.getProviderId(), m.getName(), m.getLocation(), m.getUri(),
                                m.getETag(), m.getCreationDate(), new Date(System.currentTimeMillis() - 600_000),
                                m.getUserMetadata(), m.getSize(), m.getTier());
                    }
                    out.add(m);
                }
                return new PageSetImpl<>(out, page.getNextMarker());
            }
        });
        assertThat(store.createIfAbsent(KEY, new byte[] {1})).as("a lower claim, written just now").isFalse();
        assertThat(ctx.blobStore().blobExists("claims", KEY)).isFalse();
    }

    /** A claim's name, as a node with {@code bound} makes it. */
    private static String claimOf(String id, Duration bound) {
        return CLAIMS + id + TimedClaim.BOUND_MARK + bound.toNanos() / 1_000;
    }

    /**
     * tandem.store.maxWriteLatency set higher on another node: its claim, even with a higher id, holds this node off,
     * since this node's wait D may be too short to cover that node's bound W. Without the bound in the claim's name
     * this node would win here.
     */
    @Test
    void aClaimMadeWithALargerBoundHoldsThisNodeOff() throws Exception {
        putRaw(claimOf("ffffffffffffffffffffffffffffffff", W.multipliedBy(2)));
        assertThat(store.createIfAbsent(KEY, new byte[] {1})).as("a live claim of a node with twice this bound").isFalse();
        assertThat(ctx.blobStore().blobExists("claims", KEY)).isFalse();
    }

    /** Claims are ordered by bound first: a live claim with a lower id but a smaller bound gives way to this node. */
    @Test
    void aClaimMadeWithASmallerBoundGivesWay() throws Exception {
        String smaller = claimOf("00000000000000000000000000000000", W.dividedBy(4));
        putRaw(smaller);
        assertThat(store.createIfAbsent(KEY, new byte[] {1})).as("a lower id, but a quarter of this bound").isTrue();
        assertThat(ctx.blobStore().blobExists("claims", smaller)).as("the listed claims are deleted on a win").isFalse();
    }

    /**
     * A claim with a larger bound is ignored once stale by that bound, not by this node's: an orphan of a slower
     * node does not hold the key off for ever, and is not ignored while its writer may still be finishing.
     */
    @Test
    void aClaimWithALargerBoundIsStaleAfterItsOwnBoundsStaleness() throws Exception {
        Duration larger = W.multipliedBy(2);
        putRaw(claimOf("ffffffffffffffffffffffffffffffff", larger));
        assertThat(store.createIfAbsent(KEY, new byte[] {1})).as("first seen: live").isFalse();
        ctx.advance(TimedClaim.staleAfter(W).toNanos());
        assertThat(store.createIfAbsent(KEY, new byte[] {1})).as("stale at this node's bound, not at its writer's").isFalse();
        ctx.advance(TimedClaim.staleAfter(larger).toNanos() - TimedClaim.staleAfter(W).toNanos());
        assertThat(store.createIfAbsent(KEY, new byte[] {1})).as("stale at its writer's bound").isTrue();
    }

    @Test
    void aClaimsNameCarriesItsWritersBound() {
        long cap = TimedClaim.MAX_BOUND.toNanos() / 1_000;
        assertThat(TimedClaim.boundOf("0123abcd.w250000")).isEqualTo(250_000);
        assertThat(TimedClaim.boundOf("0123abcd.w000250000")).as("leading zeros").isEqualTo(250_000);
        assertThat(TimedClaim.boundOf("0123abcd")).as("a claim of a node that predates bounds in names").isEqualTo(-1);
        assertThat(TimedClaim.boundOf("0123abcd.w")).isEqualTo(-1);
        assertThat(TimedClaim.boundOf("0123abcd.w25x")).isEqualTo(-1);
        assertThat(TimedClaim.boundOf("0123abcd.w\uff13\uff10\uff10")).as("digits outside ASCII").isEqualTo(-1);
        assertThat(TimedClaim.boundOf("0123abcd.w999999999999")).as("capped at the largest bound").isEqualTo(cap);
        assertThat(TimedClaim.boundOf("0123abcd.w9999999999999999999")).as("too long to be a bound").isEqualTo(-1);
    }
}
