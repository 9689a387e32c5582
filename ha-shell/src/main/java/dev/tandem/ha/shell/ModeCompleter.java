package dev.tandem.ha.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import dev.tandem.ha.api.HighAvailabilityMode;

/** Completes the HA modes. */
@Service
public class ModeCompleter implements Completer {

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter modes = new StringsCompleter(false);
        for (HighAvailabilityMode m : HighAvailabilityMode.values()) {
            modes.getStrings().add(m.name());
        }
        return modes.complete(session, commandLine, candidates);
    }
}
