package dev.tandem.ha.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.tandem.ha.api.HighAvailabilityService;

/** {@code ha:state}: this node's HA state, as {@code GET /v1/server/ha/state}. */
@Service
@Command(scope = "ha", name = "state", description = "Shows this node's HA state (MASTER, HOT_STANDBY, ...).")
public class StateCommand implements Action {

    @Reference
    HighAvailabilityService ha;

    @Override
    public Object execute() {
        String failure = ha.getFailureReason();
        System.out.println(ha.getState() + (failure == null ? "" : " (" + failure + ")"));
        return null;
    }
}
