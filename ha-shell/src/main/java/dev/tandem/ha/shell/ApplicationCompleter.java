package dev.tandem.ha.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import dev.tandem.ha.api.apps.EntityView;
import dev.tandem.ha.api.apps.ManagedApplications;

/** Completes the names of the applications in this node's copy. */
@Service
public class ApplicationCompleter implements Completer {

    @Reference
    ManagedApplications apps;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        try {
            apps.applications().stream().map(EntityView::name).forEach(names.getStrings()::add);
        } catch (RuntimeException noCopy) {
            return -1; // nothing to offer; the command itself will say why
        }
        return names.complete(session, commandLine, candidates);
    }
}
