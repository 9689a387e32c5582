package dev.tandem.ha.core;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.tandem.ha.api.store.PlaneStore;

/** A store slow to take writes on demand: once {@link #hold()} is called, its PUTs wait until {@link #release()}. */
public final class HeldPutsStore extends ForwardingPlaneStore {
    private final AtomicBoolean holding = new AtomicBoolean();
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    public HeldPutsStore(PlaneStore delegate) {
        super(delegate);
    }

    /** PUTs from now on wait for {@link #release()}. */
    public void hold() {
        holding.set(true);
    }

    /** True once a PUT is waiting, within {@code timeout}. */
    public boolean awaitHeld(Duration timeout) throws InterruptedException {
        return held.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets every PUT through, now and later. */
    public void release() {
        released.countDown();
    }

    @Override
    protected void before(Request request, String key) {
        if (holding.get() && request == Request.PUT) {
            held.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
