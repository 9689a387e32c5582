package dev.tandem.ha.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.apps.EntityView;
import dev.tandem.ha.api.apps.ManagedApplications;

/** {@code ha:apps}: the managed applications of this node's copy, as {@code GET /v1/applications}. */
@Service
@Command(scope = "ha", name = "apps", description = "Lists the managed applications: name, id, type, service.state, "
        + "number of entities (on the master, or from a hot standby's read-only copy).")
public class AppsCommand implements Action {

    @Reference
    HighAvailabilityService ha;

    @Reference
    ManagedApplications apps;

    @Override
    public Object execute() {
        List<EntityView> all = apps.applications();
        System.out.println(AppsText.origin(ha));
        if (all.isEmpty()) {
            System.out.println("No applications.");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Application");
        table.column("Id");
        table.column("Type");
        table.column("service.state");
        table.column("Entities").alignRight();
        for (EntityView app : all) {
            Object state = app.sensors().get(AppsText.SERVICE_STATE);
            table.addRow().addContent(app.name(), app.id(), app.typeId(), state == null ? "" : state,
                    apps.entities(app.id()).size());
        }
        table.print(System.out);
        return null;
    }
}
