package dev.tandem.ha.core.sim;

import java.util.List;
import java.util.Optional;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoredObject;

/** The shared store as the checker sees it: every request at once, outside simulated time. */
final class DirectStore implements PlaneStore {
    private final SharedStore shared;

    DirectStore(SharedStore shared) {
        this.shared = shared;
    }

    @Override
    public String describe() {
        return "checker's view";
    }

    @Override
    public ClaimSupport claimSupport() {
        return ClaimSupport.ATOMIC;
    }

    @Override
    public void open(List<String> prefixes) {
    }

    @Override
    public Optional<StoredObject> read(String key) {
        return shared.read(key);
    }

    @Override
    public boolean exists(String key) {
        return shared.read(key).isPresent();
    }

    @Override
    public void put(String key, byte[] content) {
        throw new UnsupportedOperationException("the checker only reads");
    }

    @Override
    public boolean createIfAbsent(String key, byte[] content) {
        throw new UnsupportedOperationException("the checker only reads");
    }

    @Override
    public void delete(String key) {
        throw new UnsupportedOperationException("the checker only reads");
    }

    @Override
    public List<String> list(String prefix) {
        return shared.list(prefix);
    }
}
