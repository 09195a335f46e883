package dev.billing.auth.user.domain;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A user account. Every change returns a new value with {@code version} one higher (the events'
 * {@code aggregateversion}); a deactivated account accepts no further change.
 *
 * @param passwordHash Argon2id hash, or null for an account that only logs in through Google/GitHub
 */
public record User(
        UUID id,
        String email,
        String name,
        String passwordHash,
        Set<Role> roles,
        boolean emailVerified,
        boolean active,
        Instant deactivatedAt,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
        roles = roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
    }

    /** A new account (self-registration, admin bootstrap or first login with an external provider). */
    public static User create(
            UUID id, String email, String name, String passwordHash, Set<Role> roles, boolean verified, Instant now) {
        return new User(id, email, name, passwordHash, roles, verified, true, null, 1, now, now);
    }

    public boolean isAdmin() {
        return roles.contains(Role.ADMIN);
    }

    public User verifyEmail(Instant now) {
        requireActive();
        return new User(id, email, name, passwordHash, roles, true, true, null, version + 1, createdAt, now);
    }

    public User changePassword(String newHash, Instant now) {
        requireActive();
        return new User(id, email, name, newHash, roles, emailVerified, true, null, version + 1, createdAt, now);
    }

    public User withRoles(Set<Role> newRoles, Instant now) {
        requireActive();
        if (newRoles.isEmpty()) {
            throw new IllegalArgumentException("a user needs at least one role");
        }
        return new User(
                id, email, name, passwordHash, newRoles, emailVerified, true, null, version + 1, createdAt, now);
    }

    public User deactivate(Instant now) {
        requireActive();
        return new User(id, email, name, passwordHash, roles, emailVerified, false, now, version + 1, createdAt, now);
    }

    private void requireActive() {
        if (!active) {
            throw new AccountDeactivatedException(id);
        }
    }
}
