package dev.tandem.ha.core;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;

/** One node's connection to a shared store, which a test can cut (every request fails) and restore. */
final class FaultyStore extends ForwardingPlaneStore {
    private boolean down;

    FaultyStore(PlaneStore delegate) {
        super(delegate);
    }

    void setDown(boolean down) {
        this.down = down;
    }

    @Override
    protected void before(Request request, String keyOrPrefix) throws StoreException {
        if (down) {
            throw new StoreException("injected outage: " + request + " " + keyOrPrefix);
        }
    }
}
