package dev.tandem.ha.apps;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.ManagedStateStore;
import dev.tandem.ha.api.PersistMode;
import dev.tandem.ha.api.store.StoreException;
import dev.tandem.ha.apps.journal.JournalCodec.Position;
import dev.tandem.ha.apps.journal.JournalReader;
import dev.tandem.ha.apps.journal.JournalWriter;
import dev.tandem.ha.apps.model.Change;
import dev.tandem.ha.apps.model.ManagedModel;
import dev.tandem.ha.apps.model.TaskRecord;

/**
 * How this node takes over the managed state when it becomes the acting master, by {@code persistMode}:
 * <ul>
 * <li>a hot copy: read the journal's tail and check that the last segment applied is still the store's, then
 * write after it (no full load);</li>
 * <li>no copy, AUTO and CLEAN: load the state if there is any, else start empty; REBIND: load, and refuse to take
 * over if the store holds no state; DISABLED: an in-memory model, nothing read or written.</li>
 * </ul>
 * CLEAN needs nothing here: the HA core refuses CLEAN at start while another node of the plane is live, and the
 * first epoch this node claims after it joined seals the managed state empty ({@code FencedStateStore}), so the
 * load (or the hot copy, whose last segment is then gone) finds an empty store. Tasks that were in progress when the
 * previous master stopped are recorded as interrupted, never run again.
 */
final class RoleTransitions {
    private static final Logger LOG = LoggerFactory.getLogger(RoleTransitions.class);

    /** The takeover was refused; the message says why and what to change. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** @param outcome what the takeover did, for REST and logs (e.g. "loaded the state at segment 3 (2 entities)") */
    record Takeover(ManagedModel model, JournalWriter writer, List<Change> interruptedTasks, String outcome) {}

    private final HighAvailabilityService ha;
    private final ManagedStateStore store;
    private final AppsRuntime.Settings settings;
    private ManagedModel disabledModel;

    RoleTransitions(HighAvailabilityService ha, ManagedStateStore store, AppsRuntime.Settings settings) {
        this.ha = ha;
        this.store = store;
        this.settings = settings;
    }

    Takeover takeOver(JournalReader hotCopy, ManagedModel copyModel) throws StoreException, Refused {
        PersistMode mode = settings.persistMode();
        if (mode == PersistMode.DISABLED) {
            if (disabledModel == null) {
                disabledModel = new ManagedModel();
            }
            LOG.info("Managed state: acting master with persistMode DISABLED: the state is kept in memory only");
            return new Takeover(disabledModel, new JournalWriter(null, disabledModel, Position.START, 0, ha::getEpoch,
                    settings.snapshotEvery()), interrupted(disabledModel), "kept in memory only (persistMode DISABLED)");
        }
        JournalReader reader;
        String outcome;
        if (hotCopy != null) {
            long loads = hotCopy.loads();
            hotCopy.poll();
            hotCopy.verifyPosition();
            reader = hotCopy;
            outcome = (hotCopy.loads() > loads ? "loaded the state again" : "went on from the hot copy") + " at segment "
                    + reader.position().seq() + " (" + reader.model().entityCount() + " entities)";
        } else {
            reader = JournalReader.load(store);
            if (mode == PersistMode.REBIND && !reader.foundState()) {
                throw new Refused("persistMode REBIND: the store holds no managed state to rebind to; start with "
                        + "persistMode AUTO or CLEAN, or point persistenceDir at the state");
            }
            outcome = reader.foundState() ? "loaded the state at segment " + reader.position().seq() + " ("
                    + reader.model().entityCount() + " entities)" : "started empty: the store holds no managed state";
        }
        LOG.info("Managed state: acting master (persistMode {}); {}", mode, outcome);
        ManagedModel model = reader.model();
        JournalWriter writer = new JournalWriter(store, model, reader.position(), reader.snapshotSeq(), ha::getEpoch,
                settings.snapshotEvery());
        return new Takeover(model, writer, interrupted(model), outcome);
    }

    private static List<Change> interrupted(ManagedModel model) {
        long now = System.currentTimeMillis();
        return model.tasksInProgress().stream().<Change>map(t -> new Change.TaskEnded(t.id(), now,
                TaskRecord.INTERRUPTED, "interrupted: the master running it stopped before it ended; not run again",
                List.of())).toList();
    }
}
