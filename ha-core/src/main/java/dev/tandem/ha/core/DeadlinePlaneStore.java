package dev.tandem.ha.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.api.store.StoredObject;

/**
 * A store whose requests give up waiting after a deadline: a request that hangs (a TCP blackhole between
 * the node and the store) fails for its caller after {@code deadline} instead of holding the node's thread
 * for the HTTP client's own timeouts. The request itself goes on in the background and may still land
 * later, as any request that timed out may; the protocol allows for that. Writes of one key never
 * overlap: a write waits (within its deadline) for an earlier write of the same key to end, and fails if
 * it has not, so a node's own writes land in the order it made them. At most {@code maxInFlight}
 * requests hang at once; beyond that, requests fail at once.
 */
public final class DeadlinePlaneStore implements PlaneStore, AutoCloseable {
    private final PlaneStore delegate;
    private final Supplier<Duration> deadline;
    private final ThreadPoolExecutor executor;
    private final java.util.concurrent.ConcurrentHashMap<String, Future<?>> writes = new java.util.concurrent.ConcurrentHashMap<>();

    public DeadlinePlaneStore(PlaneStore delegate, Supplier<Duration> deadline, int maxInFlight) {
        this.delegate = delegate;
        this.deadline = deadline;
        this.executor = new ThreadPoolExecutor(0, maxInFlight, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "tandem-store-request");
            t.setDaemon(true);
            return t;
        });
    }

    private <T> T call(String what, Callable<T> request) throws StoreException {
        return call(what, null, request);
    }

    /** {@code writtenKey}: the key a write changes, or null for a read. */
    private <T> T call(String what, String writtenKey, Callable<T> request) throws StoreException {
        Duration limit = deadline.get();
        long end = System.nanoTime() + limit.toNanos();
        Future<T> f;
        if (writtenKey != null) {
            Future<?> earlier = writes.get(writtenKey);
            if (earlier != null && !earlier.isDone()) {
                try {
                    earlier.get(limit.toNanos(), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    throw new StoreException(what + ": an earlier write of the same key to " + delegate.describe()
                            + " has not been answered");
                } catch (ExecutionException e) {
                    // its caller saw the failure; this write goes ahead
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StoreException(what + ": interrupted");
                }
            }
        }
        try {
            f = executor.submit(request);
        } catch (RejectedExecutionException e) {
            throw new StoreException(what + ": too many requests to " + delegate.describe() + " still unanswered");
        }
        if (writtenKey != null) {
            writes.put(writtenKey, f);
        }
        try {
            return f.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new StoreException(what + ": no answer from " + delegate.describe() + " within " + limit.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException se) {
                throw se;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new StoreException(what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(what + ": interrupted");
        } finally {
            if (writtenKey != null && f.isDone()) {
                writes.remove(writtenKey, f);
            }
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
        delegate.open(prefixes); // at join only: the store's own timeouts apply
    }

    @Override
    public Optional<StoredObject> read(String key) throws StoreException {
        return call("read " + key, () -> delegate.read(key));
    }

    @Override
    public List<Optional<StoredObject>> readAll(List<String> keys) throws StoreException {
        return call("read " + keys.size() + " records", () -> delegate.readAll(keys));
    }

    @Override
    public boolean exists(String key) throws StoreException {
        return call("check " + key, () -> delegate.exists(key));
    }

    @Override
    public void put(String key, byte[] content) throws StoreException {
        call("write " + key, key, () -> {
            delegate.put(key, content);
            return null;
        });
    }

    @Override
    public boolean createIfAbsent(String key, byte[] content) throws StoreException {
        return call("create " + key, key, () -> delegate.createIfAbsent(key, content));
    }

    @Override
    public void delete(String key) throws StoreException {
        call("delete " + key, key, () -> {
            delegate.delete(key);
            return null;
        });
    }

    @Override
    public List<String> list(String prefix) throws StoreException {
        return call("list " + prefix, () -> delegate.list(prefix));
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
