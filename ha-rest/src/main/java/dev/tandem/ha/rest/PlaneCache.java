package dev.tandem.ha.rest;

import java.time.Duration;
import java.util.function.LongSupplier;

import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.NodeRecord;
import dev.tandem.ha.api.PlaneView;

/**
 * Reuses the plane view read from the store for a short time, so that the store sees at most one read per
 * {@code ttl} from the REST API however many clients poll {@code /ha/states} (browsers, load balancers, scripts):
 * the store may be S3, billed per request. Changes made through the API drop the cached view at once.
 */
final class PlaneCache {

    private record Entry(PlaneView view, long readAt) {}

    private final HighAvailabilityService ha;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private volatile Entry entry;

    PlaneCache(HighAvailabilityService ha, Duration ttl, LongSupplier nanoTime) {
        this.ha = ha;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The plane as last read, if not older than the TTL; else read now (an exception is never cached). */
    PlaneView get() {
        if (ttlNanos <= 0) {
            return ha.getPlane();
        }
        Entry e = entry;
        long now = nanoTime.getAsLong();
        if (e != null && now - e.readAt() < ttlNanos) {
            return e.view();
        }
        // Concurrent misses may each read once; that is bounded by the number of request threads, and
        // cheaper than making every reader wait on a lock.
        PlaneView view = ha.getPlane();
        entry = new Entry(view, now);
        return view;
    }

    void invalidate() {
        entry = null;
    }

    /** The current master's record if the plane names one (null if none, or if the plane cannot be read). */
    NodeRecord masterOrNull() {
        try {
            PlaneView plane = get();
            return plane.masterId() == null ? null : plane.nodes().get(plane.masterId());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** "master NODE at URI", for messages that send a client to the master. */
    String masterHint() {
        PlaneView plane;
        try {
            plane = get();
        } catch (RuntimeException e) {
            return "the plane cannot be read: " + e.getMessage();
        }
        NodeRecord master = plane.masterId() == null ? null : plane.nodes().get(plane.masterId());
        if (master == null) {
            return "no master is known";
        }
        return "master " + master.nodeId() + (master.nodeUri() == null ? "" : " at " + master.nodeUri());
    }
}
