package dev.tandem.ha.persistence.jclouds;

import dev.tandem.ha.api.store.StoreException;

/** A PUT that failed in a way that proves it was not applied (see {@link Replay#ONLY_IF_NOT_APPLIED}). */
public final class NotAppliedException extends StoreException {
    private static final long serialVersionUID = 1L;

    NotAppliedException(String message, Throwable cause) {
        super(message, cause);
    }
}
