package dev.tandem.ha.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import javax.security.auth.Subject;

import org.junit.jupiter.api.Test;

import dev.tandem.ha.api.InvalidValueException;

class AccessPolicyTest {

    @Test
    void karafDefaultLetsViewersReadAndAdminsChange() {
        AccessPolicy p = AccessPolicy.KARAF_DEFAULT;

        assertThat(p.realm()).isEqualTo("karaf");
        assertThat(p.mayRead(List.of("viewer"))).isTrue();
        assertThat(p.mayRead(List.of("manager"))).isTrue();
        assertThat(p.mayWrite(List.of("viewer", "manager"))).isFalse();
        assertThat(p.mayWrite(List.of("admin"))).isTrue();
        assertThat(p.mayRead(List.of("ssh", "systembus"))).isFalse();
        assertThat(p.mayRead(List.of())).isFalse();
    }

    @Test
    void rolesFromACfgFileAreSplitOnCommasAndWritersMayRead() {
        AccessPolicy p = AccessPolicy.of(" karaf ", new String[] {"viewer, auditor"}, new String[] {"ops,admin"});

        assertThat(p.realm()).isEqualTo("karaf");
        assertThat(p.readRoles()).containsExactly("viewer", "auditor", "ops", "admin");
        assertThat(p.writeRoles()).containsExactly("ops", "admin");
        assertThat(p.mayRead(List.of("ops"))).isTrue();
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> AccessPolicy.of("karaf", new String[] {" , "}, new String[] {"admin"}))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("readRoles"));
        assertThatThrownBy(() -> AccessPolicy.of("karaf", new String[] {"viewer"}, new String[0]))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("writeRoles"));
        assertThatThrownBy(() -> AccessPolicy.of("ka\"raf", new String[] {"viewer"}, new String[] {"admin"}))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("jaasRealm"));
        assertThatThrownBy(() -> AccessPolicy.of(" ", new String[] {"viewer"}, new String[] {"admin"}))
                .isInstanceOf(InvalidValueException.class);
    }

    @Test
    void rolesAreTheNamesOfRolePrincipalsOnly() {
        Subject subject = new Subject();
        subject.getPrincipals().add(new TestLoginModule.UserPrincipal("admin"));
        subject.getPrincipals().add(new TestLoginModule.RolePrincipal("viewer"));
        subject.getPrincipals().add(new TestLoginModule.RolePrincipal("manager"));

        assertThat(RoleFilter.rolesOf(subject)).isEqualTo(Set.of("viewer", "manager"));
        assertThat(RoleFilter.rolesOf(null)).isEmpty();
    }
}
