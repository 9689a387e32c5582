package dev.tandem.ha.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.PlaneView;

/** Completes the ids of the plane's nodes other than the master and this node (the ones that can be cleared). */
@Service
public class NodeIdCompleter implements Completer {

    @Reference
    HighAvailabilityService ha;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter ids = new StringsCompleter();
        try {
            PlaneView plane = ha.getPlane();
            plane.nodes().keySet().stream()
                    .filter(id -> !id.equals(plane.ownId()) && !id.equals(plane.masterId()))
                    .forEach(ids.getStrings()::add);
        } catch (RuntimeException storeUnreadable) {
            return -1; // nothing to offer; the command itself will report the problem
        }
        return ids.complete(session, commandLine, candidates);
    }
}
