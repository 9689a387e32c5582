package dev.tandem.ha.apps;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.ManagedStateStore;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.NodeRecord;
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
 * <li>no copy, AUTO: load the state if there is any, else start empty; REBIND: load, and refuse to take over if
 * the store holds no state; CLEAN (the first takeover of this process only): start empty by writing a reset,
 * refused while another live node is in the plane; DISABLED: an in-memory model, nothing read or written.</li>
 * </ul>
 * Tasks that were in progress when the previous master stopped are recorded as interrupted, never run again.
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

    record Takeover(ManagedModel model, JournalWriter writer, List<Change> interruptedTasks) {}

    private final HighAvailabilityService ha;
    private final ManagedStateStore store;
    private final AppsRuntime.Settings settings;
    private boolean cleanDone;
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
                    settings.snapshotEvery()), interrupted(disabledModel));
        }
        JournalReader reader;
        boolean clean = mode == PersistMode.CLEAN && !cleanDone;
        if (hotCopy != null && !clean) {
            hotCopy.poll();
            hotCopy.verifyPosition();
            reader = hotCopy;
            LOG.info("Managed state: acting master; hot copy brought up to date at segment {}", reader.position().seq());
        } else {
            reader = JournalReader.load(store);
            if (mode == PersistMode.REBIND && !reader.foundState()) {
                throw new Refused("persistMode REBIND: the store holds no managed state to rebind to; start with "
                        + "persistMode AUTO or CLEAN, or point persistenceDir at the state");
            }
            LOG.info("Managed state: acting master; loaded the state at segment {} ({} entities)",
                    reader.position().seq(), reader.model().entityCount());
        }
        ManagedModel model = reader.model();
        JournalWriter writer = new JournalWriter(store, model, reader.position(), reader.snapshotSeq(), ha::getEpoch,
                settings.snapshotEvery());
        List<Change> first = new ArrayList<>();
        if (clean) {
            refuseCleanOnLivePlane(writer);
            first.add(new Change.Reset());
            cleanDone = true;
            LOG.info("Managed state: persistMode CLEAN: starting from an empty state");
        } else {
            first.addAll(interrupted(model));
        }
        return new Takeover(model, writer, first);
    }

    private void refuseCleanOnLivePlane(JournalWriter writer) throws Refused {
        List<String> live = new ArrayList<>();
        try {
            for (NodeRecord n : ha.getPlane().nodes().values()) {
                if (!n.nodeId().equals(ha.getNodeId()) && n.status() != ManagementNodeState.TERMINATED
                        && n.status() != ManagementNodeState.FAILED) {
                    live.add(n.nodeId() + " (" + n.status() + ")");
                }
            }
        } catch (RuntimeException e) {
            writer.close("persistMode CLEAN could not be checked");
            throw new Refused("persistMode CLEAN: cannot check that no other node uses the store: " + e.getMessage());
        }
        if (!live.isEmpty()) {
            writer.close("persistMode CLEAN refused");
            throw new Refused("persistMode CLEAN refused: the plane has other live nodes " + live + "; CLEAN never "
                    + "wipes the state of a live plane. Stop them first, or start this node with persistMode AUTO");
        }
    }

    private static List<Change> interrupted(ManagedModel model) {
        long now = System.currentTimeMillis();
        return model.tasksInProgress().stream().<Change>map(t -> new Change.TaskEnded(t.id(), now,
                TaskRecord.INTERRUPTED, "interrupted: the master running it stopped before it ended; not run again",
                List.of())).toList();
    }
}
