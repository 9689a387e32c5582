package dev.tandem.ha.persistence.jclouds;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

import dev.tandem.jclouds.BlobProviders;

/**
 * jclouds' in-memory {@code transient} blob store, seen through a hook on every call of its {@link BlobStore}:
 * a test can delay a request on the node's clock ({@link #clock}), block it, fail it, or change its answer (a
 * listing whose timestamps come from a gateway with another clock). The clock is the real monotonic clock
 * plus an offset the hooks move forward.
 */
final class InstrumentedContext implements AutoCloseable {
    /** Runs around one call of the blob store. */
    interface Hook {
        /** Called before the call; returns normally to let it through. */
        default void before(String method, Object[] args) throws Exception {}

        /** May replace the call's result. */
        default Object after(String method, Object[] args, Object result) {
            return result;
        }
    }

    private final BlobStoreContext real = BlobProviders.newContext("transient", null, null, null, new Properties());
    private final AtomicLong offset = new AtomicLong();
    private volatile Hook hook = new Hook() {};
    final BlobStoreContext context;

    InstrumentedContext() {
        BlobStore blobStore = (BlobStore) Proxy.newProxyInstance(BlobStore.class.getClassLoader(), new Class<?>[] {BlobStore.class},
                handler(real.getBlobStore(), true));
        context = (BlobStoreContext) Proxy.newProxyInstance(BlobStoreContext.class.getClassLoader(),
                new Class<?>[] {BlobStoreContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getBlobStore")) {
                        return blobStore;
                    }
                    if (method.getName().equals("close")) {
                        return null; // closed by close() below
                    }
                    return invoke(real, method, args);
                });
    }

    private InvocationHandler handler(Object target, boolean hooked) {
        return (proxy, method, args) -> {
            Object[] a = args == null ? new Object[0] : args;
            if (hooked) {
                hook.before(method.getName(), a);
            }
            Object result = invoke(target, method, args);
            return hooked ? hook.after(method.getName(), a, result) : result;
        };
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    void hook(Hook h) {
        this.hook = h;
    }

    /** The node's monotonic clock: real time plus what the hooks added. */
    long clock() {
        return System.nanoTime() + offset.get();
    }

    /** Moves the node's clock forward, as a slow request or a pause of the process would. */
    void advance(long nanos) {
        offset.addAndGet(nanos);
    }

    /** The real blob store, without hooks. */
    BlobStore blobStore() {
        return real.getBlobStore();
    }

    @Override
    public void close() {
        BlobProviders.close(real);
    }
}
