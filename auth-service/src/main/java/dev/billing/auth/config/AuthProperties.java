package dev.billing.auth.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * auth-service's own settings ({@code auth.*}); each one is an env var in {@code application.yml}.
 *
 * @param accessTokenTtl lifetime of an access token (JWT)
 * @param refreshTokenTtl lifetime of a refresh token from its issue (each rotation starts a new one)
 * @param emailVerificationTtl lifetime of an email verification link
 * @param passwordResetTtl lifetime of a password reset link
 * @param loginCodeTtl lifetime of a one-time login code
 * @param loginCodeMaxAttempts wrong guesses after which a login code is dead
 * @param anonymousResponseFloor minimum answer time of the requests that must not reveal whether an
 *     email exists (reset and code requests)
 */
@ConfigurationProperties("auth")
public record AuthProperties(
        @DefaultValue("15m") Duration accessTokenTtl,
        @DefaultValue("30d") Duration refreshTokenTtl,
        @DefaultValue("48h") Duration emailVerificationTtl,
        @DefaultValue("1h") Duration passwordResetTtl,
        @DefaultValue("10m") Duration loginCodeTtl,
        @DefaultValue("5") int loginCodeMaxAttempts,
        @DefaultValue("300ms") Duration anonymousResponseFloor,
        @DefaultValue Keys keys,
        @DefaultValue Admin admin,
        @DefaultValue Argon2 argon2) {

    /**
     * @param encryptionSecret secret the AES-GCM key for private keys at rest is derived from
     * @param rotationInterval age at which the current signing key is replaced (0 = never)
     * @param rotationCheck how often each replica checks whether rotation is due
     * @param cacheTtl how long a replica trusts its in-memory copy of the key table
     */
    public record Keys(
            @DefaultValue("dev-only-key-encryption-secret-change-me")
            String encryptionSecret,

            @DefaultValue("30d") Duration rotationInterval,
            @DefaultValue("1m") Duration rotationCheck,
            @DefaultValue("30s") Duration cacheTtl) {}

    /** The bootstrapped admin; created only when {@code password} is set. */
    public record Admin(
            @DefaultValue("admin@example.com") String email,
            @DefaultValue("Administrator") String name,
            @DefaultValue("") String password) {}

    /** Argon2id cost (OWASP's minimum: 19 MiB, 2 iterations, 1 lane). */
    public record Argon2(
            @DefaultValue("16") int saltLength,
            @DefaultValue("32") int hashLength,
            @DefaultValue("1") int parallelism,
            @DefaultValue("19456") int memoryKib,
            @DefaultValue("2") int iterations) {}

    /** How long a retired key stays published: its last tokens' lifetime plus cache and clock slack. */
    public Duration keyRetention() {
        return accessTokenTtl.plus(keys.cacheTtl()).plus(Duration.ofMinutes(1));
    }
}
