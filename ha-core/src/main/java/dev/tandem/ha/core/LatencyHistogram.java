package dev.tandem.ha.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import dev.tandem.ha.api.HaMetrics.StoreLatency;

/**
 * Durations of one kind of store request, in fixed buckets from 1 ms (a local folder) to 10 s (a slow blob store
 * with retries), as Prometheus histograms count them. Lock-free; a snapshot taken while requests are recorded may be
 * off by the requests in flight, never more.
 */
public final class LatencyHistogram {

    /** Upper bounds of the buckets, in seconds; a last bucket without bound (+Inf) is implicit. */
    static final double[] BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final LongAdder[] counts = new LongAdder[BOUNDS.length];
    private final LongAdder total = new LongAdder();
    private final LongAdder sumNanos = new LongAdder();

    public LatencyHistogram() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Records one request that took {@code nanos} (a negative reading of a misbehaving clock counts as 0). */
    public void record(long nanos) {
        long n = Math.max(0, nanos);
        double seconds = n / 1e9;
        for (int i = 0; i < BOUNDS.length; i++) {
            if (seconds <= BOUNDS[i]) {
                counts[i].increment();
                break;
            }
        }
        sumNanos.add(n);
        total.increment();
    }

    /** Count, total seconds and cumulative bucket counts. */
    public StoreLatency snapshot() {
        long count = total.sum();
        double sum = sumNanos.sum() / 1e9;
        List<StoreLatency.Bucket> buckets = new ArrayList<>(BOUNDS.length);
        long cumulative = 0;
        for (int i = 0; i < BOUNDS.length; i++) {
            cumulative += counts[i].sum();
            buckets.add(new StoreLatency.Bucket(BOUNDS[i], Math.min(cumulative, count)));
        }
        return new StoreLatency(count, sum, buckets);
    }
}
