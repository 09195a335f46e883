package dev.billing.auth.user.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UserTest {

    private final Instant now = Instant.parse("2026-11-22T10:00:00Z");

    private User jane() {
        return User.create(UUID.randomUUID(), "jane@example.com", "Jane", "hash", Set.of(Role.USER), false, now);
    }

    @Test
    void everyChangeRaisesTheVersion() {
        User user = jane();
        assertThat(user.version()).isEqualTo(1);
        User verified = user.verifyEmail(now);
        assertThat(verified.emailVerified()).isTrue();
        assertThat(verified.version()).isEqualTo(2);
        User promoted = verified.withRoles(Set.of(Role.USER, Role.ADMIN), now);
        assertThat(promoted.isAdmin()).isTrue();
        assertThat(promoted.version()).isEqualTo(3);
        User changed = promoted.changePassword("new-hash", now);
        assertThat(changed.passwordHash()).isEqualTo("new-hash");
        assertThat(changed.version()).isEqualTo(4);
    }

    @Test
    void aDeactivatedUserAcceptsNoFurtherChange() {
        User gone = jane().deactivate(now);
        assertThat(gone.active()).isFalse();
        assertThat(gone.deactivatedAt()).isEqualTo(now);
        assertThatThrownBy(() -> gone.deactivate(now)).isInstanceOf(AccountDeactivatedException.class);
        assertThatThrownBy(() -> gone.changePassword("x", now)).isInstanceOf(AccountDeactivatedException.class);
        assertThatThrownBy(() -> gone.verifyEmail(now)).isInstanceOf(AccountDeactivatedException.class);
    }

    @Test
    void aUserKeepsAtLeastOneRole() {
        assertThatThrownBy(() -> jane().withRoles(Set.of(), now)).isInstanceOf(IllegalArgumentException.class);
    }
}
