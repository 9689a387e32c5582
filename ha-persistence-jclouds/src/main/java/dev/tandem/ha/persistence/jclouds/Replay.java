package dev.tandem.ha.persistence.jclouds;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import org.jclouds.aws.AWSResponseException;
import org.jclouds.blobstore.ContainerNotFoundException;
import org.jclouds.http.HttpResponseException;
import org.jclouds.rest.AuthorizationException;

/**
 * Which failures of a request may be answered by sending it again. A read, HEAD, LIST or DELETE may be sent
 * again after any transient failure. A PUT may not when its outcome is unknown: a first attempt that stalled
 * in the network could land after a later write and bring old bytes back (a heartbeat seen twice, a claim
 * rewritten). A PUT is sent again only after a failure that proves it was not applied.
 */
enum Replay {
    /** GET, HEAD, LIST, DELETE: 5xx, 408, 429, throttling and I/O failures (timeouts, refused or reset connections). */
    IDEMPOTENT {
        @Override
        boolean allows(Throwable e) {
            return isTransient(e);
        }
    },
    /**
     * PUT: only when the request provably did not reach the store's processing: the connection could not be
     * made (refused, no route, unknown host, connect timeout), or the store answered 429 or S3's 503 SlowDown,
     * both sent before the request is processed. A timeout, a reset or a 500/502/504 after the request was
     * sent is ambiguous: not sent again.
     */
    ONLY_IF_NOT_APPLIED {
        @Override
        boolean allows(Throwable e) {
            return provesNotApplied(e);
        }
    };

    abstract boolean allows(Throwable e);

    /** 5xx, 408, 429, S3's throttling codes, and I/O failures (timeouts, refused or reset connections). */
    static boolean isTransient(Throwable e) {
        if (e instanceof ContainerNotFoundException || e instanceof AuthorizationException) {
            return false;
        }
        int status = statusOf(e);
        if (status >= 500 || status == 408 || status == 429) {
            return true;
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return true;
            }
            String m = c.getMessage();
            if (m != null && (m.contains("SlowDown") || m.contains("RequestTimeout") || m.contains("Throttl"))) {
                return true;
            }
        }
        return status < 0 && e instanceof HttpResponseException;
    }

    /** Whether the failure proves that the request was not applied (see {@link #ONLY_IF_NOT_APPLIED}). */
    static boolean provesNotApplied(Throwable e) {
        int status = statusOf(e);
        if (status == 429) {
            return true;
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof AWSResponseException aws && aws.getError() != null && status == 503
                    && "SlowDown".equals(aws.getError().getCode())) {
                return true;
            }
            if (c instanceof ConnectException || c instanceof NoRouteToHostException || c instanceof UnknownHostException) {
                return true;
            }
            if (c instanceof SocketTimeoutException && c.getMessage() != null
                    && c.getMessage().toLowerCase(java.util.Locale.ROOT).startsWith("connect timed out")) {
                return true;
            }
        }
        return false;
    }

    static int statusOf(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof HttpResponseException h && h.getResponse() != null) {
                return h.getResponse().getStatusCode();
            }
        }
        return -1;
    }
}
