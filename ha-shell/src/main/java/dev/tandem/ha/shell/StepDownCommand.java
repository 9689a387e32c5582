package dev.tandem.ha.shell;

import java.time.Duration;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.ManagementNodeState;

/** {@code ha:stepdown [HOLD]}: graceful handover by the master, as {@code POST /v1/server/ha/stepdown}. */
@Service
@Command(scope = "ha", name = "stepdown", description = "On the master: hands mastership to the best other node and "
        + "does not take it back for HOLD (default: the heartbeat timeout).")
public class StepDownCommand implements Action {

    static final String FIELD = "hold";

    @Reference
    HighAvailabilityService ha;

    @Argument(index = 0, name = "hold", description = "How long not to take mastership back: 500ms, 30s, 2m ...",
            required = false)
    String hold;

    @Override
    public Object execute() {
        Duration holdFor = hold == null ? Duration.ofMillis(ha.getMetrics().heartbeatTimeoutMillis())
                : ShellValues.parseHold(FIELD, hold);
        if (ha.getState() != ManagementNodeState.MASTER) {
            throw new IllegalStateException("Only the master can step down: this node is " + ha.getState());
        }
        ManagementNodeState previous = ha.stepDown(holdFor.toMillis());
        System.out.println("Stepped down: " + previous + " -> " + ha.getState() + "; no re-election of this node for "
                + ShellValues.format(holdFor));
        return null;
    }
}
