package dev.billing.auth.user.web;

import dev.billing.auth.user.domain.User;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A user as the API shows it (never the password hash). */
record UserResponse(
        UUID id,
        String email,
        String name,
        List<String> roles,
        boolean emailVerified,
        boolean active,
        Instant createdAt) {

    static UserResponse of(User user) {
        return new UserResponse(
                user.id(),
                user.email(),
                user.name(),
                user.roles().stream().map(Enum::name).toList(),
                user.emailVerified(),
                user.active(),
                user.createdAt());
    }
}
