package dev.tandem.ha.core;

import java.io.IOException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
 * <p>With persistMode CLEAN, the first epoch a node claims after joining a plane where no other node was live
 * seals <em>clean</em>: its seal records no version at all, so the managed state starts empty in that epoch.
 */
public final class FencedStateStore implements ManagedStateStore {
    public static final String VALUES = "state/values/";
    public static final String SEALS = "state/seals/";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte VALUE = 0;
    private static final byte TOMBSTONE = 1;

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

    /** A seal: the epoch that wrote it and each key's current version at that moment. */
    public record Seal(long epoch, Map<String, Version> current) {
        public Seal {
            current = Map.copyOf(current);
        }

        /** Whether a version of {@code key} may be read as current while this is the newest seal. */
        public boolean admits(String key, Version v) {
            Version sealed = current.get(key);
            return v.epoch() >= epoch || sealed != null && v.compareTo(sealed) <= 0;
        }
    }

    private final PlaneStore store;
    private final LongSupplier actingEpoch;
    private final LongSupplier cleanEpoch;
    private long sealedEpoch;
    private long seq;

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
        this.store = store;
        this.actingEpoch = actingEpoch;
        this.cleanEpoch = cleanEpoch;
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
        return put(key, content);
    }

    @Override
    public void delete(String key) throws StoreException {
        put(key, new byte[] {TOMBSTONE});
    }

    private synchronized void sealIfActing() throws StoreException {
        long epoch = actingEpoch.getAsLong();
        if (epoch != 0 && sealedEpoch != epoch) {
            seal(epoch);
            sealedEpoch = epoch;
            seq = 0;
        }
    }

    private synchronized Version put(String key, byte[] content) throws StoreException {
        checkKey(key);
        long epoch = actingEpoch.getAsLong();
        if (epoch == 0) {
            throw new IllegalStateException("this node is not the acting master: managed state is written on the master");
        }
        sealIfActing();
        Version version = new Version(epoch, ++seq);
        // a plain write: only the master of this epoch writes versions of it, each under a new sequence
        store.put(VALUES + key + "/" + version.name(), content);
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
        return version;
    }

    /**
     * Reads the current value. On the acting master, the epoch is sealed first: whatever an older master's
     * lingering request writes later is then never read as current, so what the master reads stays read.
     */
    @Override
    public Optional<byte[]> read(String key) throws StoreException {
        checkKey(key);
        sealIfActing();
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<Seal> seal = latestSeal();
            List<String> versions = store.list(VALUES + key + "/");
            if (!latestSeal().equals(seal)) {
                continue; // a new master sealed meanwhile: judge the versions against its seal
            }
            Optional<Version> current = current(key, versions, seal.orElse(null));
            if (current.isEmpty()) {
                return Optional.empty();
            }
            Optional<StoredObject> o = store.read(VALUES + key + "/" + current.get().name());
            if (o.isEmpty()) {
                continue; // superseded and pruned meanwhile
            }
            byte[] c = o.get().content();
            if (c.length == 0 || c[0] == TOMBSTONE) {
                return Optional.empty();
            }
            byte[] value = new byte[c.length - 1];
            System.arraycopy(c, 1, value, 0, value.length);
            return Optional.of(value);
        }
        throw new StoreException("the state of " + key + " kept changing while being read; try again");
    }

    /** The current version of {@code key} among the listed version keys, judged by the newest seal. */
    public static Optional<Version> current(String key, Collection<String> versionKeys, Seal newestSeal) {
        return versionKeys.stream().map(k -> versionOf(key, k)).flatMap(Optional::stream)
                .filter(v -> newestSeal == null || newestSeal.admits(key, v)).max(Version.ORDER);
    }

    /** Parses a seal as stored; empty if it is unreadable. */
    public static Optional<Seal> parseSeal(byte[] content) {
        try {
            JsonNode o = JSON.readTree(content);
            if (o == null || o.path("format").asInt(-1) != 1 || !o.path("epoch").canConvertToLong()) {
                return Optional.empty();
            }
            Map<String, Version> current = new TreeMap<>();
            var fields = o.path("current").fields();
            while (fields.hasNext()) {
                var e = fields.next();
                Optional<Version> v = Version.parse(e.getValue().asText());
                if (v.isEmpty()) {
                    return Optional.empty();
                }
                current.put(e.getKey(), v.get());
            }
            return Optional.of(new Seal(o.get("epoch").asLong(), current));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<Seal> latestSeal() throws StoreException {
        List<String> seals = store.list(SEALS);
        for (int i = seals.size() - 1; i >= 0; i--) {
            Optional<StoredObject> o = store.read(seals.get(i));
            if (o.isPresent()) {
                Optional<Seal> seal = parseSeal(o.get().content());
                if (seal.isPresent()) {
                    return seal;
                }
            }
        }
        return Optional.empty();
    }

    /** Records every key's current version before epoch {@code epoch} writes anything. */
    private void seal(long epoch) throws StoreException {
        Optional<Seal> previous = latestSeal();
        if (previous.isPresent() && previous.get().epoch() >= epoch) {
            if (previous.get().epoch() == epoch) {
                return; // sealed by an earlier attempt whose answer was lost
            }
            throw new StoreException("a newer master (epoch " + previous.get().epoch() + ") has sealed the state");
        }
        Map<String, List<String>> byKey = new TreeMap<>();
        boolean clean = cleanEpoch.getAsLong() == epoch; // persistMode CLEAN: no version of an older epoch stays valid
        for (String k : clean ? List.<String>of() : store.list(VALUES)) {
            String rest = k.substring(VALUES.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                byKey.computeIfAbsent(rest.substring(0, slash), x -> new java.util.ArrayList<>()).add(k);
            }
        }
        ObjectNode json = JSON.createObjectNode();
        json.put("format", 1);
        json.put("epoch", epoch);
        ObjectNode current = json.putObject("current");
        for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
            current(e.getKey(), e.getValue(), previous.orElse(null)).ifPresent(v -> current.put(e.getKey(), v.name()));
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String path = SEALS + PlaneKeys.zeroPadded(epoch);
        store.put(path, bytes); // only the master of this epoch seals it
        if (actingEpoch.getAsLong() != epoch) {
            throw new StoreException("mastership of epoch " + epoch + " was lost while sealing the state");
        }
        for (String old : store.list(SEALS)) {
            if (old.compareTo(path) < 0 && previous.isPresent()
                    && !old.equals(SEALS + PlaneKeys.zeroPadded(previous.get().epoch()))) {
                store.delete(old); // the newest seal alone decides; one older is kept for readers in flight
            }
        }
    }

    private static Optional<Version> versionOf(String key, String path) {
        String prefix = VALUES + key + "/";
        return path.startsWith(prefix) ? Version.parse(path.substring(prefix.length())) : Optional.empty();
    }

    private static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new InvalidValueException("key", key, "1 to 200 characters from A-Z, a-z, 0-9, '.', '_', '-'");
        }
    }
}
