package dev.tandem.ha.shell;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.tandem.ha.api.apps.EffectorDefinition;
import dev.tandem.ha.api.apps.EntityView;
import dev.tandem.ha.api.apps.ManagedApplications;
import dev.tandem.ha.api.apps.TaskView;

/**
 * {@code ha:invoke APP ENTITY EFFECTOR [name=value ...]}: invokes an effector on the master, as
 * {@code POST /v1/applications/{app}/entities/{entity}/effectors/{effector}}, and waits for its result.
 */
@Service
@Command(scope = "ha", name = "invoke", description = "Invokes an effector of an entity (on the master only) and "
        + "prints its result.")
public class InvokeCommand implements Action {

    static final Duration MAX_TIMEOUT = Duration.ofDays(1);

    @Reference
    ManagedApplications apps;

    @Argument(index = 0, name = "application", description = "The application's name or id", required = true)
    @Completion(ApplicationCompleter.class)
    String application;

    @Argument(index = 1, name = "entity", description = "The entity's name or id, in that application", required = true)
    String entity;

    @Argument(index = 2, name = "effector", description = "The effector's name", required = true)
    String effector;

    @Argument(index = 3, name = "parameters", description = "The effector's parameters, each as name=value",
            required = false, multiValued = true)
    List<String> parameters;

    @Option(name = "-t", aliases = "--timeout", description = "How long to wait for the result (500ms, 30s, 2m ...; "
            + "default 1m); the effector goes on running after that")
    String timeout;

    @Override
    public Object execute() {
        Duration wait = timeout == null ? Duration.ofMinutes(1) : ShellValues.parseDuration("timeout", timeout, MAX_TIMEOUT);
        EntityView target = EffectorCall.entity(apps.entities(application.trim()), application.trim(), entity.trim());
        List<EffectorDefinition> effectors = apps.effectors(target.id());
        EffectorDefinition definition = EffectorCall.effector(effectors, target, effector.trim());
        Map<String, Object> values = EffectorCall.parameters(definition, parameters == null ? List.of() : parameters);
        TaskView task = apps.invoke(target.id(), definition.name(), values, wait);
        if (!task.done()) {
            System.out.println("Effector " + definition.name() + " on " + target.name() + " is still running after "
                    + ShellValues.format(wait) + " as task " + task.id() + " (GET /v1/activities/" + task.id() + ")");
        } else if (task.error()) {
            throw new IllegalStateException("Effector '" + definition.name() + "' on " + target.name() + " "
                    + task.status().toLowerCase(java.util.Locale.ROOT) + ": " + AppsText.value(task.result()));
        } else {
            System.out.println(task.status() + ": " + definition.name() + " on " + target.name()
                    + (task.result() == null ? "" : " returned " + AppsText.value(task.result())));
        }
        return null;
    }
}
