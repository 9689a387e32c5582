package dev.tandem.ha.rest;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

import dev.tandem.ha.api.InvalidValueException;

/**
 * Who may use the API: the JAAS realm that checks HTTP Basic credentials, and the roles that may read and that may
 * change. A user with a write role may also read.
 *
 * @param realm      JAAS login context name, also announced in {@code WWW-Authenticate: Basic realm="..."}
 * @param readRoles  roles allowed GET and HEAD
 * @param writeRoles roles allowed every other method
 */
public record AccessPolicy(String realm, Set<String> readRoles, Set<String> writeRoles) {

    public static final String REALM_KEY = "jaasRealm";
    public static final String READ_ROLES_KEY = "readRoles";
    public static final String WRITE_ROLES_KEY = "writeRoles";

    /** Karaf's default: realm {@code karaf}; viewer, manager or admin may read; admin may change. */
    public static final AccessPolicy KARAF_DEFAULT =
            of("karaf", new String[] {"viewer", "manager", "admin"}, new String[] {"admin"});

    public AccessPolicy {
        if (realm == null || realm.isBlank() || realm.indexOf('"') >= 0 || realm.indexOf('\\') >= 0) {
            throw new InvalidValueException(REALM_KEY, realm, "the name of a JAAS realm, without quotes or backslashes");
        }
        writeRoles = Collections.unmodifiableSet(new LinkedHashSet<>(writeRoles));
        if (writeRoles.isEmpty()) {
            throw new InvalidValueException(WRITE_ROLES_KEY, "", "one or more role names, comma-separated");
        }
        Set<String> readers = new LinkedHashSet<>(readRoles);
        if (readers.isEmpty()) {
            throw new InvalidValueException(READ_ROLES_KEY, "", "one or more role names, comma-separated");
        }
        readers.addAll(writeRoles);
        readRoles = Collections.unmodifiableSet(readers);
    }

    /**
     * Builds a policy from configuration values. Each role entry may itself be a comma-separated list, as a
     * {@code .cfg} file gives a single string.
     */
    public static AccessPolicy of(String realm, String[] readRoles, String[] writeRoles) {
        return new AccessPolicy(realm == null ? null : realm.trim(), split(readRoles), split(writeRoles));
    }

    public boolean mayRead(Collection<String> roles) {
        return roles.stream().anyMatch(readRoles::contains);
    }

    public boolean mayWrite(Collection<String> roles) {
        return roles.stream().anyMatch(writeRoles::contains);
    }

    private static Set<String> split(String[] entries) {
        if (entries == null) {
            return Set.of();
        }
        return Arrays.stream(entries)
                .flatMap(e -> Arrays.stream(e.split(",")))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
