package dev.tandem.ha.persistence.jclouds;

import java.util.List;

import dev.tandem.ha.api.store.StoreException;

/**
 * What {@link TimedClaim} needs from a store, in plane keys and claim ids: where the claims live and how the
 * requests are made are the store's business. Every write here is sent once: a write whose outcome is
 * unknown fails, and a write that provably was not applied fails with {@link NotAppliedException}. Not part of
 * Tandem's API (this package is private to its bundle).
 */
public interface ClaimBackend {
    /** Whether the key exists (one HEAD). */
    boolean exists(String key) throws StoreException;

    /** Writes the claim {@code id} of a key (one PUT). */
    void writeClaim(String key, String id) throws StoreException;

    /** The ids of the claims of a key (one LIST, more past 1,000 claims). */
    List<String> claimIds(String key) throws StoreException;

    /**
     * Writes the key (one PUT, never sent again; on the S3 API with {@code If-None-Match: *}, which an endpoint
     * that honours it answers with 412 if the key exists).
     *
     * @return false if the store refused because the key exists
     */
    boolean publish(String key, byte[] content) throws StoreException;

    /** Deletes a claim; a failure is only logged (an orphan claim is ignored once stale). */
    void deleteClaim(String key, String id);
}
