package dev.billing.auth.token.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Refresh tokens by the SHA-256 of their value. */
@Repository
public class RefreshTokenRepository {

    /** A stored refresh token. */
    public record RefreshTokenRow(
            String tokenHash,
            UUID familyId,
            UUID userId,
            Instant issuedAt,
            Instant expiresAt,
            Instant usedAt,
            Instant revokedAt) {}

    private final DatabaseClient db;

    RefreshTokenRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Void> insert(String hash, UUID familyId, UUID userId, Instant now, Instant expiresAt) {
        return db.sql("INSERT INTO refresh_tokens (token_hash, family_id, user_id, issued_at, expires_at)"
                        + " VALUES (:hash, :family, :user, :now, :expires)")
                .bind("hash", hash)
                .bind("family", familyId)
                .bind("user", userId)
                .bind("now", now)
                .bind("expires", expiresAt)
                .then();
    }

    /** The token, locked for this transaction (two refreshes with one token: the second waits, then sees it used). */
    public Mono<RefreshTokenRow> findForUpdate(String hash) {
        return db.sql("SELECT token_hash, family_id, user_id, issued_at, expires_at, used_at, revoked_at"
                        + " FROM refresh_tokens WHERE token_hash = :hash FOR UPDATE")
                .bind("hash", hash)
                .map(row -> new RefreshTokenRow(
                        row.get("token_hash", String.class),
                        row.get("family_id", UUID.class),
                        row.get("user_id", UUID.class),
                        instant(row.get("issued_at", OffsetDateTime.class)),
                        instant(row.get("expires_at", OffsetDateTime.class)),
                        instant(row.get("used_at", OffsetDateTime.class)),
                        instant(row.get("revoked_at", OffsetDateTime.class))))
                .one();
    }

    public Mono<Void> markUsed(String hash, Instant now) {
        return db.sql("UPDATE refresh_tokens SET used_at = :now WHERE token_hash = :hash")
                .bind("now", now)
                .bind("hash", hash)
                .then();
    }

    public Mono<Long> revokeFamily(UUID familyId, Instant now) {
        return db.sql("UPDATE refresh_tokens SET revoked_at = :now WHERE family_id = :family AND revoked_at IS NULL")
                .bind("now", now)
                .bind("family", familyId)
                .fetch()
                .rowsUpdated();
    }

    public Mono<Long> revokeAllOf(UUID userId, Instant now) {
        return db.sql("UPDATE refresh_tokens SET revoked_at = :now WHERE user_id = :user AND revoked_at IS NULL")
                .bind("now", now)
                .bind("user", userId)
                .fetch()
                .rowsUpdated();
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
