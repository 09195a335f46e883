package dev.billing.plan.catalog.persistence;

import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Idempotency keys of plan creations, per caller, with the answer they produced. */
@Repository
public class IdempotencyRepository {

    /** A recorded key: the request it belongs to and, once that request completed, its answer. */
    public record Recorded(String fingerprint, UUID planId, Integer status, String body) {}

    private final DatabaseClient db;

    IdempotencyRepository(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Claims the key inside the caller's transaction; true when this request claimed it. A
     * concurrent request with the same key waits here until the first one commits (then false) or
     * rolls back (then true).
     */
    public Mono<Boolean> claim(UUID caller, String key, String fingerprint, Instant now) {
        return db.sql("INSERT INTO idempotency_keys (caller_id, idempotency_key, fingerprint, created_at)"
                        + " VALUES (:caller, :key, :fingerprint, :now) ON CONFLICT DO NOTHING")
                .bind("caller", caller)
                .bind("key", key)
                .bind("fingerprint", fingerprint)
                .bind("now", now)
                .fetch()
                .rowsUpdated()
                .map(n -> n == 1);
    }

    public Mono<Void> complete(UUID caller, String key, UUID planId, int status, String body) {
        return db.sql("UPDATE idempotency_keys SET plan_id = :planId, response_status = :status,"
                        + " response_body = :body WHERE caller_id = :caller AND idempotency_key = :key")
                .bind("caller", caller)
                .bind("key", key)
                .bind("planId", planId)
                .bind("status", status)
                .bind("body", body)
                .then();
    }

    public Mono<Recorded> find(UUID caller, String key) {
        return db.sql("SELECT fingerprint, plan_id, response_status, response_body FROM idempotency_keys"
                        + " WHERE caller_id = :caller AND idempotency_key = :key")
                .bind("caller", caller)
                .bind("key", key)
                .map(row -> new Recorded(
                        row.get("fingerprint", String.class),
                        row.get("plan_id", UUID.class),
                        row.get("response_status", Integer.class),
                        row.get("response_body", String.class)))
                .one();
    }

    /** Forgets keys recorded before {@code cutoff}; returns how many. */
    public Mono<Long> deleteOlderThan(Instant cutoff) {
        return db.sql("DELETE FROM idempotency_keys WHERE created_at < :cutoff")
                .bind("cutoff", cutoff)
                .fetch()
                .rowsUpdated();
    }
}
