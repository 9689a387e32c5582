package dev.tandem.itests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;

/**
 * Runs Karaf shell commands inside the container through the session API, as Karaf's own
 * {@code KarafTestSupport.executeCommand} does: a session on in-memory streams, {@code execute}, the printed output.
 * In its own class so that only tests that use it need the shell's packages.
 */
final class ShellCommands {

    private ShellCommands() {
    }

    /**
     * The command's output; a command that fails throws, with Karaf's message (e.g. an InvalidValueException's). It
     * runs as the local console's user does (roles admin, manager, viewer): the ha: commands are subject to
     * etc/org.apache.karaf.command.acl.ha.cfg, and a session without roles would not see them.
     */
    static String execute(SessionFactory sessions, String command) throws Exception {
        Subject console = new Subject();
        console.getPrincipals().add(new UserPrincipal("itest-console"));
        for (String role : new String[] {"admin", "manager", "viewer"}) {
            console.getPrincipals().add(new RolePrincipal(role));
        }
        return execute(sessions, command, console);
    }

    /** As {@link #execute(SessionFactory, String)}, as {@code subject}. */
    static String execute(SessionFactory sessions, String command, Subject subject) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessions.create(new ByteArrayInputStream(new byte[0]), out, out);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Object> result = executor.submit(() -> {
                try {
                    return Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
                } catch (PrivilegedActionException e) {
                    throw e.getException(); // the command's own exception, as without doAs
                }
            });
            Object value = result.get(30, TimeUnit.SECONDS);
            if (value != null) {
                out.println(value);
            }
            out.flush();
            return bytes.toString(StandardCharsets.UTF_8);
        } finally {
            executor.shutdownNow();
            session.close();
        }
    }
}
