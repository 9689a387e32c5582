package dev.tandem.ha.core;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.tandem.ha.api.store.PlaneStore;

/** Counts the requests made to a store, by kind, for metrics and for the request-economy tests. */
public final class CountingPlaneStore extends ForwardingPlaneStore {
    private final Map<Request, LongAdder> counts = new EnumMap<>(Request.class);
    private final LongAdder failures = new LongAdder();

    public CountingPlaneStore(PlaneStore delegate) {
        super(delegate);
        for (Request r : Request.values()) {
            counts.put(r, new LongAdder());
        }
    }

    /** Counters by kind: read (GET), exists (HEAD), put and create (PUT), delete, list, failures. */
    public Map<String, Long> counts() {
        return Map.of("read", sum(Request.READ), "exists", sum(Request.EXISTS), "put", sum(Request.PUT),
                "create", sum(Request.CREATE), "delete", sum(Request.DELETE), "list", sum(Request.LIST),
                "failures", failures.sum());
    }

    /** Every request but the one-off {@code open}. */
    public long total() {
        return counts.entrySet().stream().filter(e -> e.getKey() != Request.OPEN).mapToLong(e -> e.getValue().sum()).sum();
    }

    private long sum(Request r) {
        return counts.get(r).sum();
    }

    @Override
    protected void before(Request request, String keyOrPrefix) {
        counts.get(request).increment();
    }

    @Override
    protected void failed(Request request) {
        failures.increment();
    }
}
