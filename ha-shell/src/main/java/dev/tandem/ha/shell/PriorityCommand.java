package dev.tandem.ha.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.tandem.ha.api.HighAvailabilityService;

/** {@code ha:priority [N]}: shows or sets this node's election priority, as {@code /v1/server/ha/priority}. */
@Service
@Command(scope = "ha", name = "priority", description = "Shows this node's election priority, or sets it (higher wins).")
public class PriorityCommand implements Action {

    static final String FIELD = "priority";

    @Reference
    HighAvailabilityService ha;

    @Argument(index = 0, name = "priority", description = "The new priority, an integer", required = false)
    String priority;

    @Override
    public Object execute() {
        if (priority == null) {
            System.out.println(ha.getPriority());
            return null;
        }
        int wanted = ShellValues.parseInt(FIELD, priority);
        int previous = ha.setPriority(wanted);
        System.out.println("Priority " + previous + " -> " + wanted);
        return null;
    }
}
