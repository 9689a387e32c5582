package dev.tandem.ha.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import javax.security.auth.Subject;

import org.junit.jupiter.api.Test;

/** The login cache with a hand-driven clock. */
class LoginCacheTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final Subject alice = new Subject();

    @Test
    void aLoginIsFoundWithTheSamePasswordUntilItExpires() {
        LoginCache cache = new LoginCache(Duration.ofSeconds(5), 10, now::get);
        cache.put("alice", "pw", alice);

        assertThat(cache.find("alice", "pw")).isSameAs(alice);
        assertThat(cache.find("alice", "pw2")).isNull();
        assertThat(cache.find("alice", "")).isNull();
        assertThat(cache.find("bob", "pw")).isNull();

        now.addAndGet(Duration.ofSeconds(5).toNanos() - 1);
        assertThat(cache.find("alice", "pw")).isSameAs(alice);
        now.addAndGet(1);
        assertThat(cache.find("alice", "pw")).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void aLoginsRolesAreItsRolePrincipalsReadOnceAndOnlyWithTheSamePassword() {
        LoginCache cache = new LoginCache(Duration.ofSeconds(5), 10, now::get);
        Subject bob = new Subject();
        bob.getPrincipals().add(new RolePrincipal("viewer"));
        bob.getPrincipals().add(new RolePrincipal("manager"));
        bob.getPrincipals().add(() -> "bob"); // a user principal: not a role
        cache.put("bob", "pw", bob);

        assertThat(cache.roles("bob", "pw")).containsExactlyInAnyOrder("viewer", "manager");
        assertThat(cache.roles("bob", "other")).isNull();
        assertThat(cache.roles("carol", "pw")).isNull();
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(cache.roles("bob", "pw")).isNull();
    }

    /** Named as Karaf's role principal class is: that name is what marks a role. */
    private record RolePrincipal(String getName) implements java.security.Principal {}

    @Test
    void whenFullTheEntryThatExpiresFirstGoes() {
        LoginCache cache = new LoginCache(Duration.ofSeconds(5), 2, now::get);
        cache.put("a", "1", new Subject());
        now.addAndGet(1);
        cache.put("b", "2", new Subject());
        now.addAndGet(1);
        cache.put("c", "3", new Subject());

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.find("a", "1")).isNull();
        assertThat(cache.find("b", "2")).isNotNull();
        assertThat(cache.find("c", "3")).isNotNull();

        now.addAndGet(Duration.ofSeconds(5).toNanos());
        cache.put("d", "4", new Subject());
        assertThat(cache.size()).as("expired entries are dropped first").isEqualTo(1);
    }

    @Test
    void aZeroTimeKeepsNothing() {
        LoginCache cache = new LoginCache(Duration.ZERO, 10, now::get);
        cache.put("alice", "pw", alice);
        assertThat(cache.find("alice", "pw")).isNull();
        assertThat(cache.size()).isZero();
    }
}
