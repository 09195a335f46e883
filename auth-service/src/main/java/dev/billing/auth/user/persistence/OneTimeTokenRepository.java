package dev.billing.auth.user.persistence;

import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Single-use link tokens (email verification, password reset), stored as SHA-256 hashes. */
@Repository
public class OneTimeTokenRepository {

    public static final String VERIFY_EMAIL = "VERIFY_EMAIL";
    public static final String RESET_PASSWORD = "RESET_PASSWORD";

    private final DatabaseClient db;

    OneTimeTokenRepository(DatabaseClient db) {
        this.db = db;
    }

    /** Stores a new token and invalidates the user's earlier unused ones of the same purpose. */
    public Mono<Void> replace(String purpose, UUID userId, String tokenHash, Instant now, Instant expiresAt) {
        return db.sql("UPDATE one_time_tokens SET used_at = :now WHERE user_id = :user AND purpose = :purpose"
                        + " AND used_at IS NULL")
                .bind("now", now)
                .bind("user", userId)
                .bind("purpose", purpose)
                .then()
                .then(db.sql("INSERT INTO one_time_tokens (token_hash, purpose, user_id, created_at, expires_at)"
                                + " VALUES (:hash, :purpose, :user, :now, :expires)")
                        .bind("hash", tokenHash)
                        .bind("purpose", purpose)
                        .bind("user", userId)
                        .bind("now", now)
                        .bind("expires", expiresAt)
                        .then());
    }

    /** Marks an unused, unexpired token used; emits its user, or nothing when no such token. */
    public Mono<UUID> consume(String purpose, String tokenHash, Instant now) {
        return db.sql("UPDATE one_time_tokens SET used_at = :now WHERE token_hash = :hash AND purpose = :purpose"
                        + " AND used_at IS NULL AND expires_at > :now RETURNING user_id")
                .bind("now", now)
                .bind("hash", tokenHash)
                .bind("purpose", purpose)
                .map(row -> row.get("user_id", UUID.class))
                .one();
    }
}
