package dev.tandem.ha.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.HighAvailabilityService;

/** {@code ha:mode MODE}: asks this node to run in another HA mode, as {@code POST /v1/server/ha/state}. */
@Service
@Command(scope = "ha", name = "mode", description = "Asks this node to run in another HA mode (AUTO, MASTER, "
        + "HOT_STANDBY, STANDBY, HOT_BACKUP, DISABLED) and waits until it has.")
public class ModeCommand implements Action {

    static final String FIELD = "mode";

    @Reference
    HighAvailabilityService ha;

    @Argument(index = 0, name = "mode", description = "The HA mode, any case", required = true)
    @Completion(ModeCompleter.class)
    String mode;

    @Override
    public Object execute() {
        HighAvailabilityMode wanted = HighAvailabilityMode.parse(FIELD, mode);
        System.out.println("Mode " + wanted + ": state " + ha.changeMode(wanted) + " -> " + ha.getState());
        return null;
    }
}
