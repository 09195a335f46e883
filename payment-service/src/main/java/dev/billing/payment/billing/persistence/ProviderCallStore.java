package dev.billing.payment.billing.persistence;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code provider_calls}: provider writes by idempotency key and what became of them. */
@Repository
public class ProviderCallStore {

    public record CallRow(
            String idempotencyKey,
            String operation,
            UUID userId,
            UUID subscriptionId,
            UUID sessionId,
            Instant expiresAt,
            String request,
            String status,
            String resultId,
            String resultUrl,
            String error,
            int attempts,
            Instant nextCheckAt) {}

    /**
     * After {@code WITH inserted AS (INSERT ... ON CONFLICT DO NOTHING RETURNING *)}: the row just
     * inserted or, on a conflict, the one held, in one round trip instead of two. The held row is
     * invisible to this statement when its writer committed while the insert waited on it; callers
     * read it again then.
     */
    private static final String INSERTED_OR_HELD = " SELECT * FROM inserted UNION ALL SELECT * FROM provider_calls"
            + " WHERE NOT EXISTS (SELECT 1 FROM inserted) AND";

    private final DatabaseClient db;

    ProviderCallStore(DatabaseClient db) {
        this.db = db;
    }

    /** Records a call as PENDING unless its key is known; returns the row held for the key. */
    public Mono<CallRow> begin(
            String key, String operation, UUID userId, UUID subscriptionId, String request, Instant now) {
        GenericExecuteSpec spec = db.sql("WITH inserted AS (INSERT INTO provider_calls (idempotency_key,"
                        + " operation, user_id, subscription_id, request, status, created_at, updated_at) VALUES (:key, :op, :user, :sub,"
                        + " :request, 'PENDING', :now, :now) ON CONFLICT DO NOTHING RETURNING *)"
                        + INSERTED_OR_HELD + " idempotency_key = :key")
                .bind("key", key)
                .bind("op", operation)
                .bind("now", now);
        spec = userId == null ? spec.bindNull("user", UUID.class) : spec.bind("user", userId);
        spec = subscriptionId == null ? spec.bindNull("sub", UUID.class) : spec.bind("sub", subscriptionId);
        spec = request == null ? spec.bindNull("request", String.class) : spec.bind("request", request);
        return spec.map(ProviderCallStore::row).one().switchIfEmpty(Mono.defer(() -> byKey(key)));
    }

    /**
     * The checkout call of a subscription: the one recorded before, or a new PENDING one with a new
     * session id and expiry (kept, so a later re-issue sends the same parameters under the same key).
     */
    public Mono<CallRow> beginCheckout(
            UUID subscriptionId, UUID userId, UUID sessionId, Instant expiresAt, Instant now) {
        return db.sql("WITH inserted AS (INSERT INTO provider_calls (idempotency_key, operation, user_id,"
                        + " subscription_id, session_id, expires_at, status, created_at, updated_at) VALUES (:key,"
                        + " 'CHECKOUT', :user, :sub, :session, :expires, 'PENDING', :now, :now) ON CONFLICT DO NOTHING"
                        + " RETURNING *)" + INSERTED_OR_HELD + " subscription_id = :sub AND operation = 'CHECKOUT'")
                .bind("key", "checkout:" + sessionId)
                .bind("user", userId)
                .bind("sub", subscriptionId)
                .bind("session", sessionId)
                .bind("expires", expiresAt)
                .bind("now", now)
                .map(ProviderCallStore::row)
                .one()
                .switchIfEmpty(Mono.defer(() -> checkoutOf(subscriptionId)));
    }

    private Mono<CallRow> checkoutOf(UUID subscriptionId) {
        return db.sql("SELECT * FROM provider_calls WHERE subscription_id = :sub AND operation = 'CHECKOUT'")
                .bind("sub", subscriptionId)
                .map(ProviderCallStore::row)
                .one();
    }

    public Mono<CallRow> byKey(String key) {
        return db.sql("SELECT * FROM provider_calls WHERE idempotency_key = :key")
                .bind("key", key)
                .map(ProviderCallStore::row)
                .one();
    }

    public Mono<Void> succeeded(String key, String resultId, String resultUrl, Instant now) {
        GenericExecuteSpec spec = db.sql("UPDATE provider_calls SET status = 'SUCCEEDED', result_id = :id, result_url ="
                        + " :url, error = NULL, next_check_at = NULL, attempts = attempts + 1, updated_at = :now"
                        + " WHERE idempotency_key = :key")
                .bind("key", key)
                .bind("now", now);
        spec = resultId == null ? spec.bindNull("id", String.class) : spec.bind("id", resultId);
        spec = resultUrl == null ? spec.bindNull("url", String.class) : spec.bind("url", resultUrl);
        return spec.then();
    }

    public Mono<Void> failed(String key, String error, Instant now) {
        return db.sql("UPDATE provider_calls SET status = 'FAILED', error = :error, next_check_at = NULL,"
                        + " attempts = attempts + 1, updated_at = :now WHERE idempotency_key = :key")
                .bind("key", key)
                .bind("error", error == null ? "failed" : error)
                .bind("now", now)
                .then();
    }

    /** The outcome is not known: left for the reconciler, which looks at {@code nextCheckAt}. */
    public Mono<Void> unknown(String key, String error, Instant nextCheckAt, Instant now) {
        return db.sql("UPDATE provider_calls SET status = 'UNKNOWN', error = :error, next_check_at = :next,"
                        + " attempts = attempts + 1, updated_at = :now WHERE idempotency_key = :key")
                .bind("key", key)
                .bind("error", error == null ? "unknown outcome" : error)
                .bind("next", nextCheckAt)
                .bind("now", now)
                .then();
    }

    /**
     * UNKNOWN calls due for a check, claimed for this transaction ({@code SKIP LOCKED}: another
     * replica takes others) and pushed to {@code leaseUntil} so no replica checks them twice at once.
     */
    public Flux<CallRow> claimDue(Instant now, Instant leaseUntil, int limit) {
        return db.sql("UPDATE provider_calls SET next_check_at = :lease WHERE idempotency_key IN (SELECT"
                        + " idempotency_key FROM provider_calls WHERE status = 'UNKNOWN' AND next_check_at <= :now"
                        + " ORDER BY next_check_at LIMIT :limit FOR UPDATE SKIP LOCKED) RETURNING *")
                .bind("now", now)
                .bind("lease", leaseUntil)
                .bind("limit", limit)
                .map(ProviderCallStore::row)
                .all();
    }

    private static CallRow row(Readable r) {
        return new CallRow(
                r.get("idempotency_key", String.class),
                r.get("operation", String.class),
                r.get("user_id", UUID.class),
                r.get("subscription_id", UUID.class),
                r.get("session_id", UUID.class),
                r.get("expires_at", Instant.class),
                r.get("request", String.class),
                r.get("status", String.class),
                r.get("result_id", String.class),
                r.get("result_url", String.class),
                r.get("error", String.class),
                r.get("attempts", Integer.class),
                r.get("next_check_at", Instant.class));
    }
}
