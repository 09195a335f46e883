package dev.billing.auth.user.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The data of the events auth-service publishes (contracts/events/*.v1.schema.json). */
public final class UserEvents {

    public static final String USER_REGISTERED = "user-registered";
    public static final String EMAIL_VERIFICATION_REQUESTED = "email-verification-requested";
    public static final String PASSWORD_RESET_REQUESTED = "password-reset-requested";
    public static final String LOGIN_CODE_REQUESTED = "login-code-requested";
    public static final String USER_DEACTIVATED = "user-deactivated";

    private UserEvents() {}

    public record UserRegistered(
            UUID userId,
            String email,
            String name,
            List<String> roles,
            boolean emailVerified,
            UUID organisationId,
            Instant registeredAt) {

        public static UserRegistered of(User user) {
            return new UserRegistered(
                    user.id(),
                    user.email(),
                    user.name(),
                    user.roles().stream().map(Enum::name).toList(),
                    user.emailVerified(),
                    null,
                    user.createdAt());
        }
    }

    /** Carries a secret: never log it. */
    public record EmailVerificationRequested(UUID userId, String email, String name, String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "EmailVerificationRequested[userId=" + userId + "]";
        }
    }

    /** Carries a secret: never log it. */
    public record PasswordResetRequested(UUID userId, String email, String name, String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "PasswordResetRequested[userId=" + userId + "]";
        }
    }

    /** Carries a secret: never log it. */
    public record LoginCodeRequested(UUID userId, String email, String name, String code, Instant expiresAt) {
        @Override
        public String toString() {
            return "LoginCodeRequested[userId=" + userId + "]";
        }
    }

    public record UserDeactivated(UUID userId, String email, String name, String reason, Instant deactivatedAt) {}
}
