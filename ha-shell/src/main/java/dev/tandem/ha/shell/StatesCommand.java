package dev.tandem.ha.shell;

import java.time.Instant;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.NodeRecord;
import dev.tandem.ha.api.PlaneView;

/** {@code ha:states}: every node of the plane, as {@code GET /v1/server/ha/states}. */
@Service
@Command(scope = "ha", name = "states", description = "Lists the nodes of the HA plane: state, priority, last heartbeat, URI.")
public class StatesCommand implements Action {

    @Reference
    HighAvailabilityService ha;

    @Override
    public Object execute() {
        PlaneView plane = ha.getPlane();
        System.out.println("Plane " + (plane.planeId() == null ? "(none yet)" : plane.planeId()) + ", master "
                + (plane.masterId() == null ? "(none)" : plane.masterId()) + ", epoch " + plane.epoch());
        ShellTable table = new ShellTable();
        table.column("Node");
        table.column("State");
        table.column("Priority").alignRight();
        table.column("Last heartbeat (store time)");
        table.column("URI");
        for (NodeRecord n : plane.nodes().values()) {
            String id = n.nodeId() + (n.nodeId().equals(plane.ownId()) ? " *" : "");
            table.addRow().addContent(id, n.status(), n.priority(), Instant.ofEpochMilli(n.remoteTimestamp()),
                    n.nodeUri() == null ? "" : n.nodeUri());
        }
        table.print(System.out);
        System.out.println("* this node");
        return null;
    }
}
