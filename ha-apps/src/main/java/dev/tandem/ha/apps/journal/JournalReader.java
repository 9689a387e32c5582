package dev.tandem.ha.apps.journal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.ManagedStateStore;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.apps.journal.JournalCodec.Position;
import dev.tandem.ha.apps.journal.JournalCodec.Segment;
import dev.tandem.ha.apps.journal.JournalCodec.Snapshot;
import dev.tandem.ha.apps.model.Change;
import dev.tandem.ha.apps.model.ManagedModel;

/**
 * Reads the journal: a full load (snapshot, then the segments after it) and the tail that follows it by reading
 * the next segments' known keys, never listing the journal (a run of them at one look at the store's fencing,
 * {@link ManagedStateStore#readUntilAbsent}). Each segment names the digest of the one before it: a segment that
 * does not follow the one applied last (an unacknowledged segment that was replaced) makes the reader load again.
 * While no new segment appears, the snapshot head is read every {@link #HEAD_CHECK_EVERY} polls, so that a reader
 * that fell behind a compaction notices it; without a head, the segment applied last is read again then, so that a
 * reader notices a state started afresh (persistMode CLEAN) before the new journal reaches its position.
 */
public final class JournalReader {
    public static final int HEAD_CHECK_EVERY = 10;
    /** How many segments one look at the store asks for at most (it stops at the first one not written yet). */
    static final int TAIL_RUN = 64;
    private static final Logger LOG = LoggerFactory.getLogger(JournalReader.class);

    private final ManagedStateStore store;
    private ManagedModel model;
    private Position position;
    private boolean found;
    private int idlePolls;
    private long segmentsRead;
    private long loads;
    private long snapshotSeq;

    private JournalReader(ManagedStateStore store) {
        this.store = store;
    }

    /** Loads the managed state from the store. */
    public static JournalReader load(ManagedStateStore store) throws StoreException {
        JournalReader r = new JournalReader(store);
        r.reload();
        return r;
    }

    /**
     * A reader that goes on from a model this node already holds (a master stepping down keeps its model and
     * follows the journal from where it wrote last).
     */
    public static JournalReader resume(ManagedStateStore store, ManagedModel model, Position position) {
        JournalReader r = new JournalReader(store);
        r.model = model;
        r.position = position;
        r.found = true;
        return r;
    }

    /** The segment the snapshot loaded last covers (0 if none). */
    public long snapshotSeq() {
        return snapshotSeq;
    }

    /** Whether the store held any managed state when this reader last loaded. */
    public boolean foundState() {
        return found;
    }

    public ManagedModel model() {
        return model;
    }

    public Position position() {
        return position;
    }

    public long segmentsRead() {
        return segmentsRead;
    }

    /** How many full loads this reader made (1 after {@link #load}). */
    public long loads() {
        return loads;
    }

    /**
     * Applies every segment written since the last poll.
     *
     * @return the number of segments applied (after a reload, the number applied since the snapshot)
     */
    public int poll() throws StoreException {
        int applied = 0;
        for (boolean more = true; more;) {
            // the next segments, up to the first one not written yet, read together (ManagedStateStore#readUntilAbsent)
            List<String> keys = new ArrayList<>(TAIL_RUN);
            for (int i = 1; i <= TAIL_RUN; i++) {
                keys.add(JournalKeys.segment(position.seq() + i));
            }
            List<byte[]> run = store.readUntilAbsent(keys);
            for (byte[] next : run) {
                Segment s = parse(next, position.seq() + 1);
                if (s == null || !s.prev().equals(position.hash())) {
                    LOG.info("Managed state: segment {} does not follow the one applied last; loading the state again",
                            position.seq() + 1);
                    reload();
                    return applied;
                }
                applyAll(s);
                position = new Position(s.seq(), JournalCodec.digest(next));
                applied++;
                segmentsRead++;
            }
            more = run.size() == TAIL_RUN;
        }
        if (applied == 0 && ++idlePolls % HEAD_CHECK_EVERY == 0) {
            Optional<byte[]> head = store.read(JournalKeys.HEAD);
            if (head.isPresent() && headAhead(head.get())) {
                LOG.info("Managed state: the journal was compacted past this copy (at {}); loading the state again",
                        position.seq());
                reload();
            } else if (head.isEmpty() && position.seq() > 0) {
                verifyPosition(); // no snapshot: the segment applied last is gone if the state was started clean
            }
        }
        if (applied > 0) {
            idlePolls = 0;
        }
        return applied;
    }

    /**
     * Checks that the segment applied last is still the one in the store (before this node writes after it), and
     * loads again if not.
     */
    public void verifyPosition() throws StoreException {
        if (position.seq() == 0) {
            return;
        }
        Optional<byte[]> last = store.read(JournalKeys.segment(position.seq()));
        if (last.isEmpty() || !JournalCodec.digest(last.get()).equals(position.hash())) {
            if (last.isEmpty() && snapshotCovers()) {
                return; // compacted away, but the snapshot head vouches for this position: nothing replaced it
            }
            LOG.info("Managed state: segment {} changed since it was applied; loading the state again", position.seq());
            reload();
        }
    }

    private boolean snapshotCovers() throws StoreException {
        Optional<byte[]> head = store.read(JournalKeys.HEAD);
        if (head.isEmpty()) {
            return false;
        }
        try {
            Position p = JournalCodec.parseHead(head.get());
            return p.seq() == position.seq() && p.hash().equals(position.hash());
        } catch (IOException e) {
            return false;
        }
    }

    private boolean headAhead(byte[] head) {
        try {
            return JournalCodec.parseHead(head).seq() > position.seq();
        } catch (IOException e) {
            LOG.warn("Managed state: unreadable snapshot head: {}", e.getMessage());
            return false;
        }
    }

    private void reload() throws StoreException {
        loads++;
        Position from = Position.START;
        ManagedModel m = new ManagedModel();
        boolean any = false;
        Optional<byte[]> head = store.read(JournalKeys.HEAD);
        if (head.isPresent()) {
            Optional<byte[]> snap = store.read(JournalKeys.SNAPSHOT);
            if (snap.isEmpty()) {
                throw new StoreException("the snapshot head exists but the snapshot " + JournalKeys.SNAPSHOT + " does not");
            }
            try {
                Snapshot s = JournalCodec.parseSnapshot(snap.get());
                m = ManagedModel.of(s.state());
                from = s.at();
                snapshotSeq = from.seq();
                any = true;
            } catch (IOException e) {
                throw new StoreException("the snapshot " + JournalKeys.SNAPSHOT + " is unreadable: " + e.getMessage(), e);
            }
        }
        this.model = m;
        this.position = from;
        this.idlePolls = 0;
        while (true) {
            long seq = position.seq() + 1;
            Optional<byte[]> next = store.read(JournalKeys.segment(seq));
            if (next.isEmpty()) {
                break;
            }
            Segment s = parse(next.get(), seq);
            if (s == null || !s.prev().equals(position.hash())) {
                throw new StoreException("journal segment " + seq + " does not follow segment " + position.seq()
                        + "; the managed state is inconsistent");
            }
            applyAll(s);
            position = new Position(seq, JournalCodec.digest(next.get()));
            segmentsRead++;
            any = true;
        }
        this.found = any;
    }

    private void applyAll(Segment s) {
        for (Change c : s.changes()) {
            model.apply(c);
        }
    }

    private static Segment parse(byte[] bytes, long expectedSeq) throws StoreException {
        try {
            Segment s = JournalCodec.parseSegment(bytes);
            return s.seq() == expectedSeq ? s : null;
        } catch (IOException | IllegalArgumentException e) {
            throw new StoreException("journal segment " + expectedSeq + " is unreadable: " + e.getMessage(), e);
        }
    }
}
