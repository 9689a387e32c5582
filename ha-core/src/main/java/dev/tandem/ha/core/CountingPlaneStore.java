package dev.tandem.ha.core;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import dev.tandem.ha.api.HaMetrics.StoreLatency;
import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.api.store.StoredObject;

/**
 * Counts the requests made to a store, by kind, and times them, for metrics and for the request-economy tests.
 * The one-off {@code open} is counted and timed too, but left out of {@link #total()}.
 */
public final class CountingPlaneStore extends ForwardingPlaneStore {
    private final Map<Request, LongAdder> counts = new EnumMap<>(Request.class);
    private final Map<Request, LongAdder> failuresByKind = new EnumMap<>(Request.class);
    private final Map<Request, LatencyHistogram> latencies = new EnumMap<>(Request.class);
    private final LongAdder failures = new LongAdder();
    private final LongSupplier nanoTime;

    public CountingPlaneStore(PlaneStore delegate) {
        this(delegate, System::nanoTime);
    }

    /** @param nanoTime the monotonic clock that times requests (the node's {@link HaClock#nanoTime()}) */
    public CountingPlaneStore(PlaneStore delegate, LongSupplier nanoTime) {
        super(delegate);
        this.nanoTime = nanoTime;
        for (Request r : Request.values()) {
            counts.put(r, new LongAdder());
            failuresByKind.put(r, new LongAdder());
            latencies.put(r, new LatencyHistogram());
        }
    }

    /** Counters by kind: read (GET), exists (HEAD), put and create (PUT), delete, list, failures. */
    public Map<String, Long> counts() {
        return Map.of("read", sum(Request.READ), "exists", sum(Request.EXISTS), "put", sum(Request.PUT),
                "create", sum(Request.CREATE), "delete", sum(Request.DELETE), "list", sum(Request.LIST),
                "failures", failures.sum());
    }

    /** Failed requests by kind (open, read, exists, put, create, delete, list). */
    public Map<String, Long> failures() {
        Map<String, Long> out = new LinkedHashMap<>();
        failuresByKind.forEach((r, n) -> out.put(kind(r), n.sum()));
        return out;
    }

    /** How long requests took, by kind (open, read, exists, put, create, delete, list), failed ones included. */
    public Map<String, StoreLatency> latencies() {
        Map<String, StoreLatency> out = new LinkedHashMap<>();
        latencies.forEach((r, h) -> out.put(kind(r), h.snapshot()));
        return out;
    }

    /** Every request but the one-off {@code open}. */
    public long total() {
        return counts.entrySet().stream().filter(e -> e.getKey() != Request.OPEN).mapToLong(e -> e.getValue().sum()).sum();
    }

    private long sum(Request r) {
        return counts.get(r).sum();
    }

    private static String kind(Request r) {
        return r.name().toLowerCase(Locale.ROOT);
    }

    @Override
    protected void before(Request request, String keyOrPrefix) {
        counts.get(request).increment();
    }

    @Override
    protected void failed(Request request) {
        failures.increment();
        failuresByKind.get(request).increment();
    }

    private interface Timed<T> {
        T call() throws StoreException;
    }

    private <T> T timed(Request request, Timed<T> call) throws StoreException {
        long start = nanoTime.getAsLong();
        try {
            return call.call();
        } finally {
            latencies.get(request).record(nanoTime.getAsLong() - start);
        }
    }

    @Override
    public void open(List<String> prefixes) throws StoreException {
        timed(Request.OPEN, () -> {
            super.open(prefixes);
            return null;
        });
    }

    @Override
    public Optional<StoredObject> read(String key) throws StoreException {
        return timed(Request.READ, () -> super.read(key));
    }

    @Override
    public List<Optional<StoredObject>> readAll(List<String> keys) throws StoreException {
        return timed(Request.READ, () -> super.readAll(keys));
    }

    @Override
    public boolean exists(String key) throws StoreException {
        return timed(Request.EXISTS, () -> super.exists(key));
    }

    @Override
    public void put(String key, byte[] content) throws StoreException {
        timed(Request.PUT, () -> {
            super.put(key, content);
            return null;
        });
    }

    @Override
    public boolean createIfAbsent(String key, byte[] content) throws StoreException {
        return timed(Request.CREATE, () -> super.createIfAbsent(key, content));
    }

    @Override
    public void delete(String key) throws StoreException {
        timed(Request.DELETE, () -> {
            super.delete(key);
            return null;
        });
    }

    @Override
    public List<String> list(String prefix) throws StoreException {
        return timed(Request.LIST, () -> super.list(prefix));
    }
}
