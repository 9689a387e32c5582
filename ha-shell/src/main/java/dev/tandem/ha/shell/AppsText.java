package dev.tandem.ha.shell;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.apps.EntityView;

/** Texts shared by the application commands. */
final class AppsText {
    static final String SERVICE_STATE = "service.state";

    private AppsText() {}

    /** Where the listing comes from: the master's state, or a standby's read-only copy. */
    static String origin(HighAvailabilityService ha) {
        if (ha.isActingMaster()) {
            return "Managed applications of the master:";
        }
        ManagementNodeState state = ha.getState();
        return "Read-only copy on this " + state + " node (changes are made on the master):";
    }

    /** {@code web (id1), db (id2)}, or {@code none}. */
    static String names(List<EntityView> entities) {
        return entities.isEmpty() ? "none"
                : entities.stream().map(e -> e.name() + " (" + e.id() + ")").collect(Collectors.joining(", "));
    }

    /** A sensor or result value on one line: strings as they are, lists and maps as Java prints them. */
    static String value(Object v) {
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            return String.valueOf(v);
        }
        return v == null ? "null" : v.toString().replace("\n", "\\n");
    }
}
