package dev.tandem.ha.persistence.jclouds;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.jclouds.blobstore.ContainerNotFoundException;
import org.jclouds.rest.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.persistence.jclouds.BlobPlaneStore.Request;

/**
 * Runs the store's HTTP requests: counts every attempt, retries what {@link Replay} allows within the
 * {@link RetryPolicy}, and turns failures into {@link StoreException}s whose messages and causes are redacted
 * of credentials. A PUT whose outcome is unknown is never sent again and fails with "may or may not have
 * been applied"; one that provably was not applied fails with {@link NotAppliedException}.
 */
final class BlobRequests {
    private static final Logger LOG = LoggerFactory.getLogger(BlobRequests.class);

    /** One request to jclouds. */
    interface Call<T> {
        T call();
    }

    private final String description;
    private final String container;
    private final RetryPolicy retry;
    private final Redactor redactor;
    private final LongSupplier nanoTime;
    private final Map<Request, LongAdder> counts = new EnumMap<>(Request.class);

    /**
     * @param description how messages name the store (provider, endpoint, container and prefix; no credentials)
     */
    BlobRequests(String description, String container, RetryPolicy retry, Redactor redactor, LongSupplier nanoTime) {
        this.description = description;
        this.container = container;
        this.retry = retry;
        this.redactor = redactor;
        this.nanoTime = nanoTime;
        for (Request r : Request.values()) {
            counts.put(r, new LongAdder());
        }
    }

    /** A request with the store's retry policy; PUTs are {@link Replay#ONLY_IF_NOT_APPLIED}, others idempotent. */
    <T> T call(String op, String key, Request kind, Call<T> call) throws StoreException {
        return call(op, key, kind, retry, call);
    }

    <T> T call(String op, String key, Request kind, RetryPolicy policy, Call<T> call) throws StoreException {
        Replay replay = kind == Request.PUT ? Replay.ONLY_IF_NOT_APPLIED : Replay.IDEMPOTENT;
        long deadline = nanoTime.getAsLong() + policy.budget().toNanos();
        for (int attempt = 1;; attempt++) {
            counts.get(kind).increment();
            try {
                return call.call();
            } catch (RuntimeException e) {
                long pause = policy.backoffNanos(attempt);
                if (!replay.allows(e) || attempt >= policy.maxTries() || nanoTime.getAsLong() + pause - deadline > 0) {
                    throw failure(op, key, kind, e, attempt);
                }
                LOG.debug("Store {}: {} {} failed (attempt {}), retrying in {} ms: {}", description, op, key, attempt,
                        pause / 1_000_000, redactor.redact(String.valueOf(e.getMessage())));
                try {
                    TimeUnit.NANOSECONDS.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw failure(op, key, kind, e, attempt);
                }
            }
        }
    }

    /** The store's retry policy. */
    RetryPolicy policy() {
        return retry;
    }

    /** Requests made so far, by verb (one per attempt). */
    Map<Request, Long> counts() {
        Map<Request, Long> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    String redact(String text) {
        return redactor.redact(text);
    }

    private StoreException failure(String op, String key, Request kind, RuntimeException e, int attempts) {
        int status = Replay.statusOf(e);
        String what;
        if (e instanceof ContainerNotFoundException || status == 404) {
            what = "container " + container + " not found (deleted, or the wrong account or region?)";
        } else if (e instanceof AuthorizationException || status == 401 || status == 403) {
            what = "access denied (check the identity and credential)";
        } else {
            what = (status > 0 ? "HTTP " + status + ": " : "") + summary(e);
        }
        boolean notApplied = kind == Request.PUT && Replay.provesNotApplied(e);
        // an answer of 4xx refused the request; no answer, or a 5xx, leaves its outcome unknown
        boolean ambiguous = kind == Request.PUT && !notApplied && !(e instanceof ContainerNotFoundException)
                && !(e instanceof AuthorizationException) && (status < 0 || status >= 500 || status == 408);
        String message = "store " + description + ": cannot " + op + (key.isEmpty() ? "" : " " + key) + ": "
                + redactor.redact(what) + (attempts > 1 ? " (after " + attempts + " attempts)" : "")
                + (ambiguous ? "; the write may or may not have been applied, and is not sent again" : "");
        Throwable cause = redactor.redact(e);
        return notApplied ? new NotAppliedException(message, cause) : new StoreException(message, cause);
    }

    private static String summary(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = e.getMessage();
        if (root != e) {
            m = (m == null ? "" : m + "; ") + "cause: " + root;
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
