package dev.tandem.ha.rest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import javax.security.auth.Subject;

/**
 * Remembers successful JAAS logins for a short time, so that a client sending the same HTTP Basic credentials
 * on every request (every REST client does: there are no sessions) does not run the realm's login modules each
 * time (Karaf's properties realm re-reads etc/users.properties and posts an audit event per login).
 *
 * <p>Safety: only successes are kept, never failures; the password is kept only as a salted SHA-256 (random salt per
 * cache) and compared in constant time; an entry lives at most {@code ttl} (so a removed user or changed password
 * takes effect within it); at most {@code maxEntries} users are kept (when full, the entry that expires first goes).
 */
final class LoginCache {

    static final int DEFAULT_MAX_ENTRIES = 256;

    private record Entry(byte[] passwordHash, Subject subject, Set<String> roles, long expiresAt) {}

    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;
    private final byte[] salt = new byte[16];
    /** Lock-free reads: a request thread preempted while holding a lock would stall every other request. */
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(LoginCache::newDigest);

    LoginCache(Duration ttl, int maxEntries, LongSupplier nanoTime) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
        new SecureRandom().nextBytes(salt);
    }

    boolean enabled() {
        return ttlNanos > 0 && maxEntries > 0;
    }

    /** The subject of an unexpired login with exactly this user and password, or null. */
    Subject find(String user, String password) {
        Entry e = live(user, password);
        return e == null ? null : e.subject();
    }

    /** The roles ({@link RoleFilter#rolesOf}) of an unexpired login with exactly this user and password, or null. */
    Set<String> roles(String user, String password) {
        Entry e = live(user, password);
        return e == null ? null : e.roles();
    }

    private Entry live(String user, String password) {
        if (!enabled()) {
            return null;
        }
        Entry e = entries.get(user);
        if (e == null) {
            return null;
        }
        if (nanoTime.getAsLong() - e.expiresAt() >= 0) {
            entries.remove(user, e);
            return null;
        }
        return MessageDigest.isEqual(e.passwordHash(), hash(password)) ? e : null;
    }

    void put(String user, String password, Subject subject) {
        if (!enabled()) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (entries.size() >= maxEntries && !entries.containsKey(user)) {
            // full: drop the expired entries; if none has expired, the one that expires first
            entries.entrySet().removeIf(x -> now - x.getValue().expiresAt() >= 0);
            if (entries.size() >= maxEntries) {
                entries.entrySet().stream().min(Comparator.comparingLong(x -> x.getValue().expiresAt() - now))
                        .ifPresent(x -> entries.remove(x.getKey(), x.getValue()));
            }
        }
        // a login's principals do not change: its roles are read once
        entries.put(user, new Entry(hash(password), subject, Set.copyOf(RoleFilter.rolesOf(subject)), now + ttlNanos));
    }

    int size() {
        return entries.size();
    }

    private byte[] hash(String password) {
        MessageDigest sha = sha256.get();
        sha.reset();
        sha.update(salt);
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] raw = new byte[bytes.remaining()];
        bytes.get(raw);
        byte[] digest = sha.digest(raw);
        Arrays.fill(raw, (byte) 0);
        return digest;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
