package dev.tandem.ha.shell;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.apps.EntityView;
import dev.tandem.ha.api.apps.ManagedApplications;

/**
 * {@code ha:entities APP}: an application's entities as a tree, each with its type and its sensors, as
 * {@code GET /v1/applications/{app}/entities/...} and {@code .../sensors/current-state}.
 */
@Service
@Command(scope = "ha", name = "entities", description = "Lists the entities of an application as a tree, with their "
        + "type and current sensor values.")
public class EntitiesCommand implements Action {

    @Reference
    HighAvailabilityService ha;

    @Reference
    ManagedApplications apps;

    @Argument(index = 0, name = "application", description = "The application's name or id", required = true)
    @Completion(ApplicationCompleter.class)
    String application;

    @Override
    public Object execute() {
        List<EntityView> entities = apps.entities(application.trim());
        System.out.println(AppsText.origin(ha));
        Map<String, Integer> depth = new HashMap<>();
        for (EntityView e : entities) {
            int d = e.parentId() == null ? 0 : depth.getOrDefault(e.parentId(), 0) + 1;
            depth.put(e.id(), d);
            String indent = "  ".repeat(d);
            System.out.println(indent + e.name() + " (" + e.id() + ") " + e.typeId());
            e.sensors().forEach((k, v) -> System.out.println(indent + "    " + k + " = " + AppsText.value(v)));
        }
        return null;
    }
}
