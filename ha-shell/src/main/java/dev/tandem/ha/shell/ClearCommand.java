package dev.tandem.ha.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.tandem.ha.api.HighAvailabilityService;

/**
 * {@code ha:clear [NODE]}: removes plane records, as {@code POST /v1/server/ha/states/clear} (all but the master's and
 * this node's) and {@code /states/clear/node} (one node's).
 */
@Service
@Command(scope = "ha", name = "clear", description = "Removes the records of all nodes but the master and this node "
        + "(live nodes write theirs again), or of one node.")
public class ClearCommand implements Action {

    @Reference
    HighAvailabilityService ha;

    @Argument(index = 0, name = "node", description = "The id of the node whose record to remove", required = false)
    @Completion(NodeIdCompleter.class)
    String node;

    @Override
    public Object execute() {
        if (node == null) {
            ha.clearRecords();
            System.out.println("Removed the records of all nodes but the master and this node");
        } else {
            ha.clearRecord(node.trim());
            System.out.println("Removed the record of node " + node.trim());
        }
        return null;
    }
}
