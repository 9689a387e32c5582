package dev.tandem.ha.core;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tandem.ha.api.store.PlaneStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.api.store.StoredObject;
import dev.tandem.ha.core.FencedStateStore.Seal;

/**
 * The seals of {@link FencedStateStore}: finding the newest, and writing a new one: a new epoch's before its first
 * write, or a further seal of the same epoch that the master writes once its deletes have left enough tombstones.
 *
 * <p>A seal's bytes never change once written. A seal whose write failed ambiguously is written again with the
 * same bytes, so a first attempt that lands late writes what the second wrote. Seals are therefore cached by
 * key: finding the newest costs one listing of {@code state/seals/}.
 *
 * <p>A seal records only keys whose current version holds a value. A key whose current version is a tombstone,
 * or which has none that the previous seal admits, is left out: no version of an older epoch is then ever
 * current for it again, exactly as if the tombstone were still there. What the new seal does not admit (those
 * keys' versions, and versions below or above each key's current one) is garbage from then on; the master
 * deletes it a few keys at a time when it is idle ({@link #collectGarbage}), so the store and the next seal do not grow with
 * every key ever deleted.
 *
 * <p>A seal is at a <em>position</em> (epoch E, cut C): it admits every version above (E, C) and, of the versions
 * up to (E, C), only each key's recorded one or older. A new epoch seals at (E, 0): every version of E, none of an
 * older epoch unless recorded. A master that keeps its epoch for long seals again at (E, its last sequence
 * number): its own tombstones are then left out and collected too. Its own writes that failed and may still land
 * are below the cut, so they are fenced exactly as an older master's are.
 */
final class StateSeals {
    static final String SEALS = "state/seals/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CACHED = 4;

    private final PlaneStore store;
    private final Map<String, Seal> cache = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seal> eldest) {
            return size() > CACHED;
        }
    };
    /** The position of the seal being written, while its write has not succeeded: retried with the same bytes. */
    private FencedStateStore.Version pending;
    private byte[] pendingBytes;
    private List<String> pendingGarbage = List.of();
    private final Deque<String> garbage = new ArrayDeque<>();

    StateSeals(PlaneStore store) {
        this.store = store;
    }

    /** The newest readable seal: one listing, and a read only for a seal not seen before. */
    synchronized Optional<Seal> latest() throws StoreException {
        List<String> seals = store.list(SEALS);
        for (int i = seals.size() - 1; i >= 0; i--) {
            String key = seals.get(i);
            Seal cached = cache.get(key);
            if (cached != null) {
                return Optional.of(cached);
            }
            Optional<StoredObject> o = store.read(key);
            if (o.isPresent()) {
                Optional<Seal> seal = parse(o.get().content());
                if (seal.isPresent()) {
                    cache.put(key, seal.get());
                    return seal;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Writes the seal at position ({@code epoch}, {@code cut}): every key's current value version, judged by the
     * newest seal, before the master writes anything above it.
     *
     * @param cut     0 for a new epoch's first seal; else the master's last sequence number in {@code epoch}
     * @param clean   record no version at all (persistMode CLEAN): the managed state starts empty
     * @param stillActing checked after the write: whether the node still acts in {@code epoch}
     * @return the seal as written (or as found, if an earlier attempt's write landed)
     */
    synchronized Seal seal(long epoch, long cut, boolean clean, java.util.function.BooleanSupplier stillActing)
            throws StoreException {
        FencedStateStore.Version at = new FencedStateStore.Version(epoch, cut);
        Optional<Seal> previous = latest();
        if (previous.isPresent() && previous.get().position().compareTo(at) >= 0) {
            if (previous.get().position().equals(at)) {
                if (at.equals(pending)) { // sealed by an earlier attempt whose answer was lost
                    garbage.addAll(pendingGarbage);
                }
                pending = null;
                pendingGarbage = List.of();
                return previous.get();
            }
            throw new StoreException("a newer master (epoch " + previous.get().epoch() + ") has sealed the state");
        }
        if (!at.equals(pending)) {
            prepare(at, clean, previous.orElse(null));
        }
        String path = key(at);
        store.put(path, pendingBytes); // only the master of this epoch seals it
        if (!stillActing.getAsBoolean()) {
            throw new StoreException("mastership of epoch " + epoch + " was lost while sealing the state");
        }
        Seal seal = parse(pendingBytes).orElseThrow();
        cache.put(path, seal);
        pending = null;
        garbage.addAll(pendingGarbage);
        pendingGarbage = List.of();
        for (String old : store.list(SEALS)) {
            if (old.compareTo(path) < 0 && previous.isPresent() && !old.equals(key(previous.get().position()))) {
                store.delete(old); // the newest seal alone decides; one older is kept for readers in flight
            }
        }
        return seal;
    }

    /** A seal's key: {@code state/seals/EPOCH} for a new epoch's, {@code state/seals/EPOCH-CUT} for a further one. */
    static String key(FencedStateStore.Version position) {
        return SEALS + (position.seq() == 0 ? PlaneKeys.zeroPadded(position.epoch()) : position.name());
    }

    private void prepare(FencedStateStore.Version at, boolean clean, Seal previous) throws StoreException {
        Map<String, List<String>> byKey = new TreeMap<>();
        for (String k : store.list(FencedStateStore.VALUES)) {
            String rest = k.substring(FencedStateStore.VALUES.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                byKey.computeIfAbsent(rest.substring(0, slash), x -> new ArrayList<>()).add(k);
            }
        }
        ObjectNode json = JSON.createObjectNode();
        json.put("format", 1);
        json.put("epoch", at.epoch());
        if (at.seq() != 0) {
            json.put("cut", at.seq());
        }
        ObjectNode current = json.putObject("current");
        List<String> unadmitted = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
            Optional<String> path = clean ? Optional.empty() : FencedStateStore.currentPath(e.getKey(), e.getValue(), previous);
            if (path.isPresent() && !FencedStateStore.isTombstone(path.get())) {
                current.put(e.getKey(), FencedStateStore.versionOfPath(path.get()).orElseThrow().name());
            }
            for (String k : e.getValue()) {
                if (path.isEmpty() || FencedStateStore.isTombstone(path.get()) || !k.equals(path.get())) {
                    unadmitted.add(k);
                }
            }
        }
        try {
            pendingBytes = JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        pending = at;
        pendingGarbage = unadmitted;
    }

    /**
     * Deletes up to {@code max} keys that the newest seal (this node's) made garbage; returns how many. Only the acting master of
     * that seal's epoch calls it; deleting a version no seal admits changes no read.
     */
    synchronized int collectGarbage(int max) throws StoreException {
        int deleted = 0;
        while (deleted < max && !garbage.isEmpty()) {
            store.delete(garbage.peekFirst()); // a failure keeps the key for the next call, and is the caller's to see
            garbage.removeFirst();
            deleted++;
        }
        return deleted;
    }

    /** Keys still to be deleted as garbage (tests, metrics). */
    synchronized int garbageLeft() {
        return garbage.size();
    }

    /** Parses a seal as stored; empty if it is unreadable. */
    static Optional<Seal> parse(byte[] content) {
        try {
            JsonNode o = JSON.readTree(content);
            if (o == null || o.path("format").asInt(-1) != 1 || !o.path("epoch").canConvertToLong()
                    || o.has("cut") && !o.path("cut").canConvertToLong()) {
                return Optional.empty();
            }
            Map<String, FencedStateStore.Version> current = new TreeMap<>();
            var fields = o.path("current").fields();
            while (fields.hasNext()) {
                var e = fields.next();
                Optional<FencedStateStore.Version> v = FencedStateStore.Version.parse(e.getValue().asText());
                if (v.isEmpty()) {
                    return Optional.empty();
                }
                current.put(e.getKey(), v.get());
            }
            return Optional.of(new Seal(o.get("epoch").asLong(), o.path("cut").asLong(0), current));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
