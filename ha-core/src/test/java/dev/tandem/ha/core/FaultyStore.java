package dev.tandem.ha.core;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;

/** One node's connection to a shared store, which a test can cut (every request fails) and restore. */
final class FaultyStore extends ForwardingPlaneStore {
    private boolean down;
    private java.util.function.BiPredicate<Request, String> failing = (r, k) -> false;

    FaultyStore(PlaneStore delegate) {
        super(delegate);
    }

    private boolean loseNextCreateAnswer;

    /** Fails (before reaching the store) every request for which the predicate holds. */
    void failWhen(java.util.function.BiPredicate<Request, String> failing) {
        this.failing = failing;
    }

    void setDown(boolean down) {
        this.down = down;
    }

    /** The next create-if-absent reaches the store and takes effect, but its caller gets an error. */
    void loseNextCreateAnswer() {
        this.loseNextCreateAnswer = true;
    }

    @Override
    public boolean createIfAbsent(String key, byte[] content) throws StoreException {
        boolean created = super.createIfAbsent(key, content);
        if (loseNextCreateAnswer) {
            loseNextCreateAnswer = false;
            throw new StoreException("injected lost answer: create " + key + " (created: " + created + ")");
        }
        return created;
    }

    @Override
    protected void before(Request request, String keyOrPrefix) throws StoreException {
        if (down || failing.test(request, keyOrPrefix)) {
            throw new StoreException("injected outage: " + request + " " + keyOrPrefix);
        }
    }
}
