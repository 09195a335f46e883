package dev.billing.subscription.persistence;

import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** First answers to requests with an {@code Idempotency-Key}, per user. */
@Repository
public class IdempotencyRepository {

    /** A stored answer; {@code requestHash} tells whether a retry is the same request. */
    public record StoredResponse(String requestHash, int status, String body) {}

    private final DatabaseClient db;

    IdempotencyRepository(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Claims the key in the caller's transaction: true when it is new. A concurrent request with
     * the same key waits here until the first one commits (then false) or rolls back (then true).
     */
    public Mono<Boolean> claim(UUID userId, String key, String requestHash, Instant now) {
        return db.sql("INSERT INTO idempotency_keys (user_id, idem_key, request_hash, created_at)"
                        + " VALUES (:userId, :key, :hash, :now) ON CONFLICT DO NOTHING")
                .bind("userId", userId)
                .bind("key", key)
                .bind("hash", requestHash)
                .bind("now", now)
                .fetch()
                .rowsUpdated()
                .map(n -> n == 1);
    }

    public Mono<Void> complete(UUID userId, String key, int status, String body) {
        return db.sql("UPDATE idempotency_keys SET response_status = :status, response_body = :body"
                        + " WHERE user_id = :userId AND idem_key = :key")
                .bind("userId", userId)
                .bind("key", key)
                .bind("status", status)
                .bind("body", body)
                .then();
    }

    public Mono<StoredResponse> find(UUID userId, String key) {
        return db.sql("SELECT request_hash, response_status, response_body FROM idempotency_keys"
                        + " WHERE user_id = :userId AND idem_key = :key AND response_status IS NOT NULL")
                .bind("userId", userId)
                .bind("key", key)
                .map(row -> new StoredResponse(
                        row.get("request_hash", String.class),
                        row.get("response_status", Integer.class),
                        row.get("response_body", String.class)))
                .one();
    }

    /** Forgets answers older than {@code cutoff}. */
    public Mono<Long> purge(Instant cutoff) {
        return db.sql("DELETE FROM idempotency_keys WHERE created_at < :cutoff")
                .bind("cutoff", cutoff)
                .fetch()
                .rowsUpdated();
    }
}
