package dev.tandem.ha.api.store;

import java.util.Objects;

/**
 * One object read from a {@link PlaneStore}.
 *
 * @param key          the object's key
 * @param content      its bytes (callers must not change them)
 * @param lastModified epoch millis of the last write, by the store's own clock
 */
public record StoredObject(String key, byte[] content, long lastModified) {
    public StoredObject {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(content, "content");
    }
}
