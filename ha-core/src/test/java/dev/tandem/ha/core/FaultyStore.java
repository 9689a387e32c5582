package dev.tandem.ha.core;

import java.util.List;
import java.util.Optional;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.api.store.StoredObject;

/** One node's connection to a shared store, which a test can cut (every request fails) and restore. */
final class FaultyStore implements PlaneStore {
    private final PlaneStore delegate;
    private boolean down;

    FaultyStore(PlaneStore delegate) {
        this.delegate = delegate;
    }

    void setDown(boolean down) {
        this.down = down;
    }

    private void check(String op, String key) throws StoreException {
        if (down) {
            throw new StoreException("injected outage: " + op + " " + key);
        }
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public ClaimSupport claimSupport() {
        return delegate.claimSupport();
    }

    @Override
    public void open(List<String> prefixes) throws StoreException {
        check("open", String.valueOf(prefixes));
        delegate.open(prefixes);
    }

    @Override
    public Optional<StoredObject> read(String key) throws StoreException {
        check("read", key);
        return delegate.read(key);
    }

    @Override
    public boolean exists(String key) throws StoreException {
        check("exists", key);
        return delegate.exists(key);
    }

    @Override
    public void put(String key, byte[] content) throws StoreException {
        check("put", key);
        delegate.put(key, content);
    }

    @Override
    public boolean createIfAbsent(String key, byte[] content) throws StoreException {
        check("create", key);
        return delegate.createIfAbsent(key, content);
    }

    @Override
    public void delete(String key) throws StoreException {
        check("delete", key);
        delegate.delete(key);
    }

    @Override
    public List<String> list(String prefix) throws StoreException {
        check("list", prefix);
        return delegate.list(prefix);
    }
}
