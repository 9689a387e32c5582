package dev.tandem.ha.rest;

import java.security.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

/**
 * A JAAS login module shaped like Karaf's properties realm: option {@code users} holds
 * {@code name=password,role,role;...}; a login adds a {@link UserPrincipal} and one {@link RolePrincipal} per role.
 */
public final class TestLoginModule implements LoginModule {

    /** A JAAS configuration with one realm backed by this module. */
    public static Configuration configuration(String realm, String users) {
        AppConfigurationEntry entry = new AppConfigurationEntry(TestLoginModule.class.getName(),
                LoginModuleControlFlag.REQUIRED, Map.of("users", users));
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return realm.equals(name) ? new AppConfigurationEntry[] {entry} : null;
            }
        };
    }

    /** How many times a login module of this class was asked to log a user in. */
    static final java.util.concurrent.atomic.AtomicInteger LOGINS = new java.util.concurrent.atomic.AtomicInteger();

    /** Same simple name as Karaf's {@code org.apache.karaf.jaas.boot.principal.RolePrincipal}. */
    public record RolePrincipal(String getName) implements Principal {}

    public record UserPrincipal(String getName) implements Principal {}

    private Subject subject;
    private CallbackHandler handler;
    private String users;
    private final List<Principal> principals = new ArrayList<>();

    @Override
    public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState, Map<String, ?> options) {
        this.subject = subject;
        this.handler = handler;
        this.users = (String) options.get("users");
    }

    @Override
    public boolean login() throws LoginException {
        LOGINS.incrementAndGet();
        NameCallback name = new NameCallback("user");
        PasswordCallback password = new PasswordCallback("password", false);
        try {
            handler.handle(new Callback[] {name, password});
        } catch (Exception e) {
            throw new LoginException("cannot read credentials: " + e);
        }
        String given = password.getPassword() == null ? "" : new String(password.getPassword());
        for (String user : users.split(";")) {
            String[] nameAndRest = user.split("=", 2);
            List<String> passwordAndRoles = Arrays.asList(nameAndRest[1].split(",", -1));
            if (nameAndRest[0].equals(name.getName()) && passwordAndRoles.get(0).equals(given)) {
                principals.add(new UserPrincipal(name.getName()));
                passwordAndRoles.subList(1, passwordAndRoles.size()).stream()
                        .filter(r -> !r.isEmpty())
                        .forEach(r -> principals.add(new RolePrincipal(r)));
                return true;
            }
        }
        throw new FailedLoginException("wrong user or password");
    }

    @Override
    public boolean commit() {
        subject.getPrincipals().addAll(principals);
        return true;
    }

    @Override
    public boolean abort() {
        principals.clear();
        return true;
    }

    @Override
    public boolean logout() {
        subject.getPrincipals().removeAll(principals);
        principals.clear();
        return true;
    }
}
