package dev.billing.auth.user.persistence;

import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** One-time login codes (Argon2id hashes) with their attempt counters. */
@Repository
public class LoginCodeRepository {

    /** A code that may still be tried, after counting this attempt. */
    public record Attempt(UUID id, String codeHash) {}

    private final DatabaseClient db;

    LoginCodeRepository(DatabaseClient db) {
        this.db = db;
    }

    /** Stores a new code; the user's earlier codes die. */
    public Mono<Void> replace(UUID userId, String codeHash, Instant now, Instant expiresAt) {
        return db.sql("UPDATE login_codes SET used_at = :now WHERE user_id = :user AND used_at IS NULL")
                .bind("now", now)
                .bind("user", userId)
                .then()
                .then(db.sql("INSERT INTO login_codes (id, user_id, code_hash, created_at, expires_at)"
                                + " VALUES (:id, :user, :hash, :now, :expires)")
                        .bind("id", UUID.randomUUID())
                        .bind("user", userId)
                        .bind("hash", codeHash)
                        .bind("now", now)
                        .bind("expires", expiresAt)
                        .then());
    }

    /**
     * Counts one attempt against the user's live code and returns it; empty when there is none
     * (expired, used, or out of attempts). The count is atomic, so parallel guesses cannot exceed
     * {@code maxAttempts}.
     */
    public Mono<Attempt> countAttempt(UUID userId, Instant now, int maxAttempts) {
        return db.sql("UPDATE login_codes SET attempts = attempts + 1 WHERE id = (SELECT id FROM login_codes"
                        + " WHERE user_id = :user AND used_at IS NULL AND expires_at > :now AND attempts < :max"
                        + " ORDER BY created_at DESC LIMIT 1) AND attempts < :max RETURNING id, code_hash")
                .bind("user", userId)
                .bind("now", now)
                .bind("max", maxAttempts)
                .map(row -> new Attempt(row.get("id", UUID.class), row.get("code_hash", String.class)))
                .one();
    }

    /** Marks the code used; true if this call used it (a code logs in once). */
    public Mono<Boolean> use(UUID id, Instant now) {
        return db.sql("UPDATE login_codes SET used_at = :now WHERE id = :id AND used_at IS NULL")
                .bind("now", now)
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .map(n -> n == 1);
    }
}
