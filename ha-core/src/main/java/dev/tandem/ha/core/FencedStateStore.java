package dev.tandem.ha.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import dev.tandem.ha.api.InvalidValueException;
import dev.tandem.ha.api.ManagedStateStore;
import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.api.store.StoredObject;

/**
 * Managed state fenced by the mastership epoch.
 *
 * <p>Every write creates a new, immutable version {@code state/values/KEY/EPOCH-SEQ}; the current value of
 * a key is its highest <em>valid</em> version. Before its first write, the master of epoch E writes a
 * <em>seal</em> {@code state/seals/E} recording, for every key, the version that was current then. From
 * that moment, a version of an older epoch is valid only if it is not above the sealed one: whatever an
 * older master's lingering or resumed request writes later is never read as current. Acknowledged writes
 * are never lost: a write is acknowledged only if the lease was valid when it completed, so it completed
 * before any newer master could act, and therefore before that master sealed.
 *
 * <p>A delete writes a <em>tombstone</em>, a version whose name ends in {@value #TOMBSTONE_SUFFIX}. A seal leaves out
 * the keys whose current version is a tombstone (no older version is then valid for them), and the master deletes
 * whatever its seal made invalid a few keys at a time ({@link #tidyUp}): versions of deleted keys do not pile up across
 * takeovers. Seals never change once written and are cached, so a read costs two listings of the seals, one of
 * the key's versions and one read of the current version (two listings when the key has no version).
 *
 * <p>With persistMode CLEAN, the first epoch a node claims after joining a plane where no other node was live
 * seals <em>clean</em>: its seal records no version at all, so the managed state starts empty in that epoch.
 */
public final class FencedStateStore implements ManagedStateStore {
    public static final String VALUES = "state/values/";
    public static final String SEALS = StateSeals.SEALS;
    /** The end of a tombstone version's name: a delete, recognisable without reading it. */
    public static final String TOMBSTONE_SUFFIX = ".deleted";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final byte VALUE = 0;
    private static final byte TOMBSTONE = 1;
    /** Garbage keys (invalid since this master's seal) deleted by each {@link #tidyUp}. */
    private static final int GARBAGE_PER_TIDY_UP = 4;
    /** Tombstones a master writes before it seals its own epoch again (so they can be collected). */
    public static final int RESEAL_AFTER_TOMBSTONES = 1000;

    /** A version of a key: ordered by epoch, then by sequence within the epoch. */
    public record Version(long epoch, long seq) implements Comparable<Version> {
        public static final Comparator<Version> ORDER = Comparator.comparingLong(Version::epoch).thenComparingLong(Version::seq);

        @Override
        public int compareTo(Version o) {
            return ORDER.compare(this, o);
        }

        public String name() {
            return PlaneKeys.zeroPadded(epoch) + "-" + PlaneKeys.zeroPadded(seq);
        }

        static Optional<Version> parse(String name) {
            int dash = name.indexOf('-');
            if (name.length() != 39 || dash != 19) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Version(Long.parseLong(name.substring(0, 19)), Long.parseLong(name.substring(20))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * A seal: the epoch that wrote it, its cut (0 for a new epoch's first seal; else the sequence number up to which
     * that epoch's own versions are judged by the seal) and each key's current version at that moment.
     */
    public record Seal(long epoch, long cut, Map<String, Version> current) {
        public Seal {
            current = Map.copyOf(current);
        }

        public Seal(long epoch, Map<String, Version> current) {
            this(epoch, 0, current);
        }

        /** Where the seal stands: versions above it are admitted whatever it records. */
        public Version position() {
            return new Version(epoch, cut);
        }

        /** Whether a version of {@code key} may be read as current while this is the newest seal. */
        public boolean admits(String key, Version v) {
            Version sealed = current.get(key);
            return v.compareTo(position()) > 0 || sealed != null && v.compareTo(sealed) <= 0;
        }
    }

    private final PlaneStore store;
    private final LongSupplier actingEpoch;
    private final LongSupplier cleanEpoch;
    private final StateSeals seals;
    private final int resealAfter;
    private long sealedEpoch;
    private long seq;
    private int tombstonesSinceSeal;

    /**
     * @param actingEpoch the epoch this node is acting master of right now, or 0 if it is not acting
     *                    ({@link HaNode#actingEpoch()})
     */
    public FencedStateStore(PlaneStore store, LongSupplier actingEpoch) {
        this(store, actingEpoch, () -> 0);
    }

    /**
     * @param cleanEpoch the epoch whose seal starts the managed state empty (persistMode CLEAN,
     *                   {@link HaNode#cleanEpoch()}), or 0: that seal records no current version for any key, so
     *                   nothing written before it is read as current again
     */
    public FencedStateStore(PlaneStore store, LongSupplier actingEpoch, LongSupplier cleanEpoch) {
        this(store, actingEpoch, cleanEpoch, RESEAL_AFTER_TOMBSTONES);
    }

    /** @param resealAfter tombstones after which the master seals its own epoch again (tests and the simulation) */
    public FencedStateStore(PlaneStore store, LongSupplier actingEpoch, LongSupplier cleanEpoch, int resealAfter) {
        if (resealAfter < 1) {
            throw new IllegalArgumentException("resealAfter must be at least 1, not " + resealAfter);
        }
        this.store = store;
        this.actingEpoch = actingEpoch;
        this.cleanEpoch = cleanEpoch;
        this.seals = new StateSeals(store);
        this.resealAfter = resealAfter;
    }

    @Override
    public void write(String key, byte[] value) throws StoreException {
        writeVersion(key, value);
    }

    /** {@link #write}, returning the version it created (for tests that track acknowledged writes). */
    public Version writeVersion(String key, byte[] value) throws StoreException {
        byte[] content = new byte[value.length + 1];
        content[0] = VALUE;
        System.arraycopy(value, 0, content, 1, value.length);
        return put(key, content, false);
    }

    @Override
    public void delete(String key) throws StoreException {
        deleteVersion(key);
    }

    /** {@link #delete}, returning the tombstone's version (for tests that track acknowledged deletes). */
    public Version deleteVersion(String key) throws StoreException {
        return put(key, new byte[] {TOMBSTONE}, true);
    }

    /** Keys the newest seal made invalid that this master has not deleted yet (tests). */
    int garbageLeft() {
        return seals.garbageLeft();
    }

    private synchronized void sealIfActing() throws StoreException {
        long epoch = actingEpoch.getAsLong();
        if (epoch != 0 && sealedEpoch != epoch) {
            seals.seal(epoch, 0, cleanEpoch.getAsLong() == epoch, () -> actingEpoch.getAsLong() == epoch);
            sealedEpoch = epoch;
            seq = 0;
            tombstonesSinceSeal = 0;
        }
    }

    private synchronized Version put(String key, byte[] content, boolean tombstone) throws StoreException {
        checkKey(key);
        long epoch = actingEpoch.getAsLong();
        if (epoch == 0) {
            throw new IllegalStateException("this node is not the acting master: managed state is written on the master");
        }
        sealIfActing();
        Version version = new Version(epoch, ++seq);
        // a plain write: only the master of this epoch writes versions of it, each under a new sequence
        store.put(VALUES + key + "/" + version.name() + (tombstone ? TOMBSTONE_SUFFIX : ""), content);
        if (actingEpoch.getAsLong() != epoch) {
            throw new StoreException("mastership of epoch " + epoch + " was lost while writing " + key
                    + "; the write may or may not have been applied");
        }
        for (String older : store.list(VALUES + key + "/")) {
            Optional<Version> v = versionOf(key, older);
            if (v.isPresent() && v.get().compareTo(version) < 0) {
                store.delete(older); // superseded by an acknowledged write: never current again
            }
        }
        if (tombstone && ++tombstonesSinceSeal >= resealAfter) {
            sealAgain(epoch);
        }
        return version;
    }

    /** Deletes a few of the versions this master's newest seal made invalid (garbage). */
    @Override
    public synchronized boolean tidyUp() throws StoreException {
        long epoch = actingEpoch.getAsLong();
        if (epoch == 0 || epoch != sealedEpoch || seals.garbageLeft() == 0) {
            return false;
        }
        // a failed delete throws: the caller must not call again at once (a store outage is not a busy loop)
        return seals.collectGarbage(GARBAGE_PER_TIDY_UP) > 0;
    }

    /**
     * Seals this master's own epoch again, at its last sequence number, so that the tombstones it wrote are left out
     * of the seal and collected. The change it was called after is acknowledged whatever happens here: a seal that
     * failed is tried again after the next tombstone.
     */
    private void sealAgain(long epoch) {
        try {
            seals.seal(epoch, seq, false, () -> actingEpoch.getAsLong() == epoch);
            tombstonesSinceSeal = 0;
        } catch (StoreException e) {
            // the store or the mastership is gone for now: the next tombstone tries again (or a new master seals)
        }
    }

    /**
     * Reads the current value. On the acting master, the epoch is sealed first: whatever an older master's
     * lingering request writes later is then never read as current, so what the master reads stays read.
     */
    @Override
    public Optional<byte[]> read(String key) throws StoreException {
        return readUntilAbsent(List.of(key)).stream().findFirst();
    }

    /**
     * {@link #read} of each key in order until one is absent, judged by one look at the seals: the newest seal is
     * listed before the first key and again after the last, and everything is read again if a new master sealed
     * meanwhile (the versions are then judged against its seal). On the acting master, the epoch is sealed first.
     * A run of n present keys costs 2 listings of the seals and n listings and reads of versions (one more listing
     * for the absent key that ends it), not 4n + 2; if the first key has no version, 2 listings.
     */
    @Override
    public List<byte[]> readUntilAbsent(List<String> keys) throws StoreException {
        keys.forEach(FencedStateStore::checkKey);
        sealIfActing();
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<Seal> seal = seals.latest();
            List<byte[]> values = new ArrayList<>();
            boolean pruned = false;
            for (String key : keys) {
                List<String> versions = store.list(VALUES + key + "/");
                if (versions.isEmpty() && values.isEmpty()) {
                    return values; // the first key has no version at all: absent whatever the seals say
                }
                Optional<String> current = currentPath(key, versions, seal.orElse(null));
                if (current.isEmpty() || isTombstone(current.get())) {
                    break;
                }
                Optional<StoredObject> o = store.read(current.get());
                if (o.isEmpty()) {
                    pruned = true; // superseded and pruned meanwhile
                    break;
                }
                byte[] c = o.get().content();
                if (c.length == 0 || c[0] == TOMBSTONE) {
                    break;
                }
                values.add(Arrays.copyOfRange(c, 1, c.length));
            }
            if (!pruned && seals.latest().equals(seal)) {
                return values; // no new seal since the first listing: every key was judged by the newest one
            }
        }
        throw new StoreException("the state of " + keys + " kept changing while being read; try again");
    }

    /** The current version of {@code key} among the listed version keys, judged by the newest seal. */
    public static Optional<Version> current(String key, Collection<String> versionKeys, Seal newestSeal) {
        return currentPath(key, versionKeys, newestSeal).flatMap(FencedStateStore::versionOfPath);
    }

    /** The key of the current version of {@code key} among the listed version keys, judged by the newest seal. */
    public static Optional<String> currentPath(String key, Collection<String> versionKeys, Seal newestSeal) {
        String best = null;
        Version bestVersion = null;
        for (String k : versionKeys) {
            Optional<Version> v = versionOf(key, k);
            if (v.isPresent() && (newestSeal == null || newestSeal.admits(key, v.get()))
                    && (bestVersion == null || v.get().compareTo(bestVersion) > 0)) {
                best = k;
                bestVersion = v.get();
            }
        }
        return Optional.ofNullable(best);
    }

    /** Whether a version key is a tombstone (by its name; tombstones written before 0.1 are known by content). */
    public static boolean isTombstone(String versionKey) {
        return versionKey.endsWith(TOMBSTONE_SUFFIX);
    }

    /** The version a version key names (its last path segment, tombstone suffix removed). */
    static Optional<Version> versionOfPath(String versionKey) {
        String name = versionKey.substring(versionKey.lastIndexOf('/') + 1);
        return Version.parse(isTombstone(name) ? name.substring(0, name.length() - TOMBSTONE_SUFFIX.length()) : name);
    }

    /** The position (epoch, cut) a seal's key names, e.g. {@code state/seals/EPOCH} or {@code state/seals/EPOCH-CUT}. */
    public static Optional<Version> sealPosition(String sealKey) {
        String name = sealKey.substring(sealKey.lastIndexOf('/') + 1);
        if (name.indexOf('-') >= 0) {
            return Version.parse(name);
        }
        try {
            return Optional.of(new Version(Long.parseLong(name), 0));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Parses a seal as stored; empty if it is unreadable. */
    public static Optional<Seal> parseSeal(byte[] content) {
        return StateSeals.parse(content);
    }

    private static Optional<Version> versionOf(String key, String path) {
        String prefix = VALUES + key + "/";
        return path.startsWith(prefix) && path.indexOf('/', prefix.length()) < 0 ? versionOfPath(path) : Optional.empty();
    }

    private static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new InvalidValueException("key", key, "1 to 200 characters from A-Z, a-z, 0-9, '.', '_', '-'");
        }
    }
}
