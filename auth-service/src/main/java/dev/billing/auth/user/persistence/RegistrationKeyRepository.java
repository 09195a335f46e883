package dev.billing.auth.user.persistence;

import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Idempotency keys of registrations. */
@Repository
public class RegistrationKeyRepository {

    /** The registration a key produced. */
    public record Registered(String fingerprint, UUID userId) {}

    private final DatabaseClient db;

    RegistrationKeyRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Registered> find(String key) {
        return db.sql("SELECT fingerprint, user_id FROM registration_keys WHERE idempotency_key = :key")
                .bind("key", key)
                .map(row -> new Registered(row.get("fingerprint", String.class), row.get("user_id", UUID.class)))
                .one();
    }

    /** Records the key; true when this call recorded it (false: another request used it first). */
    public Mono<Boolean> insertIfAbsent(String key, String fingerprint, UUID userId, Instant now) {
        return db.sql("INSERT INTO registration_keys (idempotency_key, fingerprint, user_id, created_at)"
                        + " VALUES (:key, :fingerprint, :user, :now) ON CONFLICT DO NOTHING")
                .bind("key", key)
                .bind("fingerprint", fingerprint)
                .bind("user", userId)
                .bind("now", now)
                .fetch()
                .rowsUpdated()
                .map(n -> n == 1);
    }
}
