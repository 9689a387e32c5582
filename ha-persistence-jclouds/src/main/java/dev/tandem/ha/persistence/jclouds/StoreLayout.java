package dev.tandem.ha.persistence.jclouds;

import java.util.regex.Pattern;

/**
 * Where the plane's keys live in the container: every key under an optional prefix, and the store's own
 * bookkeeping (timed claims, conditional-write probes) under reserved names that listings never return.
 */
final class StoreLayout {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    /** Keys of the store's own bookkeeping start with this; never listed to callers. */
    static final String RESERVED = ".tandem-";
    static final String CLAIMS = RESERVED + "claims/";
    static final String PROBES = RESERVED + "selftest/";

    private final String prefix;

    /** @param prefix a key prefix without leading or trailing slash, or empty */
    StoreLayout(String prefix) {
        this.prefix = prefix == null || prefix.isEmpty() ? "" : prefix + "/";
    }

    /** The blob name of a plane key; refuses keys that are not relative paths of {@code [A-Za-z0-9._-]} segments. */
    String storeKey(String key) {
        if (key == null || !KEY.matcher(key).matches() || key.contains("..")) {
            throw new IllegalArgumentException("invalid store key: " + key);
        }
        return prefix + key;
    }

    /** The blob-name prefix under which a key prefix's blobs are listed. */
    String listPrefix(String keyPrefix) {
        return prefix + keyPrefix;
    }

    /** The plane key of a listed blob name, or null for the store's own bookkeeping. */
    String keyOf(String blobName) {
        String key = blobName.substring(prefix.length());
        return key.startsWith(RESERVED) ? null : key;
    }

    /** The folder of the timed claims of a key. */
    String claimsFolder(String key) {
        return prefix + CLAIMS + storeKey(key).substring(prefix.length()) + "/";
    }

    /** A scratch or sentinel key of the conditional-write probe. */
    String probeKey(String name) {
        return prefix + PROBES + name;
    }

    /** A blob name without the prefix, for messages. */
    String nameOf(String blobName) {
        return blobName.startsWith(prefix) ? blobName.substring(prefix.length()) : blobName;
    }

    /** "/prefix", or empty: for descriptions. */
    String describePrefix() {
        return prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1);
    }
}
