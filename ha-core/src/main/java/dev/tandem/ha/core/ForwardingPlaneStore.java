package dev.tandem.ha.core;

import java.util.List;
import java.util.Optional;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.api.store.StoredObject;

/**
 * A store that passes every request to another, with one hook before each request and one on each
 * failure: the base of request counters and of the fault injection in tests. {@link #readAll} is passed on
 * as one call, so that the delegate's concurrent reads are kept; its hook runs once per key (a READ each).
 */
public abstract class ForwardingPlaneStore implements PlaneStore {
    /** The kinds of request, as passed to the hooks. */
    public enum Request { OPEN, READ, EXISTS, PUT, CREATE, DELETE, LIST }

    protected final PlaneStore delegate;

    protected ForwardingPlaneStore(PlaneStore delegate) {
        this.delegate = delegate;
    }

    /** Before every request; throwing fails it without reaching the delegate. */
    protected void before(Request request, String keyOrPrefix) throws StoreException {
    }

    /** After a request failed (before the failure is passed on). */
    protected void failed(Request request) {
    }

    private interface Call<T> {
        T call() throws StoreException;
    }

    private <T> T forward(Request request, String key, Call<T> call) throws StoreException {
        before(request, key);
        try {
            return call.call();
        } catch (StoreException | RuntimeException e) {
            failed(request);
            throw e;
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
        forward(Request.OPEN, String.valueOf(prefixes), () -> {
            delegate.open(prefixes);
            return null;
        });
    }

    @Override
    public Optional<StoredObject> read(String key) throws StoreException {
        return forward(Request.READ, key, () -> delegate.read(key));
    }

    /**
     * Runs {@link #before} for every key (so a hook that fails one key fails the whole read, as the
     * delegate's would), then the delegate's own {@code readAll}; a failure counts once.
     */
    @Override
    public List<Optional<StoredObject>> readAll(List<String> keys) throws StoreException {
        for (String key : keys) {
            before(Request.READ, key);
        }
        try {
            return delegate.readAll(keys);
        } catch (StoreException | RuntimeException e) {
            failed(Request.READ);
            throw e;
        }
    }

    @Override
    public boolean exists(String key) throws StoreException {
        return forward(Request.EXISTS, key, () -> delegate.exists(key));
    }

    @Override
    public void put(String key, byte[] content) throws StoreException {
        forward(Request.PUT, key, () -> {
            delegate.put(key, content);
            return null;
        });
    }

    @Override
    public boolean createIfAbsent(String key, byte[] content) throws StoreException {
        return forward(Request.CREATE, key, () -> delegate.createIfAbsent(key, content));
    }

    @Override
    public void delete(String key) throws StoreException {
        forward(Request.DELETE, key, () -> {
            delegate.delete(key);
            return null;
        });
    }

    @Override
    public List<String> list(String prefix) throws StoreException {
        return forward(Request.LIST, prefix, () -> delegate.list(prefix));
    }
}
