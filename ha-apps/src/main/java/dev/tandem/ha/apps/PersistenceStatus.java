package dev.tandem.ha.apps;

import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.PersistMode;
import dev.tandem.ha.apps.model.ManagedModel;

/**
 * How this node keeps the managed state, as {@code GET /v1/server/persistence} shows it.
 *
 * @param persistMode the node's {@code persistMode}
 * @param persisted   whether the managed state is written to the store (false only with persistMode DISABLED)
 * @param description what that means on this node, in words
 * @param state       the node's HA state
 * @param loaded      whether this node holds the managed state now (the master's model or a hot copy)
 * @param entities    how many entities that state has (0 if not loaded)
 * @param takeover    what this node's latest takeover did ("loaded the state at segment 3 (2 entities)", "started
 *                    empty: ...", "refused: ..."), or null if it has not been the acting master
 * @param unavailable why the state is not available on this node now, or null
 * @param failure     why the HA node is FAILED (e.g. a persistMode refused at start), or null
 */
public record PersistenceStatus(String persistMode, boolean persisted, String description, String state,
        boolean loaded, int entities, String takeover, String unavailable, String failure) {

    static PersistenceStatus of(HighAvailabilityService ha, AppsRuntime runtime) {
        PersistMode mode = runtime.settings().persistMode();
        ManagedModel model = runtime.model();
        ManagementNodeState state = ha.getState();
        return new PersistenceStatus(mode.name(), mode != PersistMode.DISABLED, describe(mode), state.name(),
                model != null, model == null ? 0 : model.entityCount(), runtime.takeoverOutcome(),
                model == null ? runtime.unavailableReason() : null,
                state == ManagementNodeState.FAILED ? ha.getFailureReason() : null);
    }

    private static String describe(PersistMode mode) {
        switch (mode) {
            case DISABLED:
                return "managed state is not persisted: it is kept in memory on this node only, nothing is read from "
                        + "or written to the store, and it is lost when the node stops";
            case REBIND:
                return "managed state is persisted; at start the node refuses a store that holds none";
            case CLEAN:
                return "managed state is persisted; it starts empty if this node, having joined a plane with no other "
                        + "live node, is the first master after it joined (CLEAN never wipes a live plane)";
            default:
                return "managed state is persisted; it is loaded if the store holds any, else it starts empty";
        }
    }
}
