package dev.billing.payment.billing.webhook;

import java.time.Instant;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** The table of received Stripe events (one row per evt_ id). */
@Repository
class WebhookEventStore {

    record StoredEvent(String id, String type, Instant created, String payload, int attempts) {}

    private final DatabaseClient db;

    WebhookEventStore(DatabaseClient db) {
        this.db = db;
    }

    /** Stores a verified event once; false for a redelivery (same id). */
    Mono<Boolean> insert(String id, String type, Instant created, boolean livemode, String payload, Instant now) {
        return db.sql("INSERT INTO stripe_webhook_events (id, type, created, livemode, payload, status, attempts,"
                        + " next_attempt_at, received_at) VALUES (:id, :type, :created, :livemode, :payload,"
                        + " 'RECEIVED', 0, :now, :now) ON CONFLICT (id) DO NOTHING")
                .bind("id", id)
                .bind("type", type)
                .bind("created", created)
                .bind("livemode", livemode)
                .bind("payload", payload)
                .bind("now", now)
                .fetch()
                .rowsUpdated()
                .map(n -> n > 0);
    }

    /** Ids of events due for an attempt, oldest Stripe time first (no lock: each is claimed on its own). */
    Mono<List<String>> due(Instant now, int limit) {
        return db.sql("SELECT id FROM stripe_webhook_events WHERE status = 'RECEIVED' AND next_attempt_at <= :now"
                        + " ORDER BY created, received_at LIMIT :limit")
                .bind("now", now)
                .bind("limit", limit)
                .map(r -> r.get("id", String.class))
                .all()
                .collectList();
    }

    /** A due event, read without a lock (to map it before the claiming transaction). */
    Mono<StoredEvent> load(String id, Instant now) {
        return due(SELECT_DUE, id, now);
    }

    /** Claims one due event for the caller's transaction; empty when done or claimed by another replica. */
    Mono<StoredEvent> claim(String id, Instant now) {
        return due(SELECT_DUE + " FOR UPDATE SKIP LOCKED", id, now);
    }

    private static final String SELECT_DUE =
            "SELECT id, type, created, payload, attempts FROM stripe_webhook_events WHERE id = :id"
                    + " AND status = 'RECEIVED' AND next_attempt_at <= :now";

    private Mono<StoredEvent> due(String sql, String id, Instant now) {
        return db.sql(sql)
                .bind("id", id)
                .bind("now", now)
                .map(r -> new StoredEvent(
                        r.get("id", String.class),
                        r.get("type", String.class),
                        r.get("created", Instant.class),
                        r.get("payload", String.class),
                        r.get("attempts", Integer.class)))
                .one();
    }

    Mono<Void> processed(String id, String outcome, Instant now) {
        return db.sql("UPDATE stripe_webhook_events SET status = 'PROCESSED', outcome = :outcome, processed_at = :now,"
                        + " attempts = attempts + 1, last_error = NULL WHERE id = :id")
                .bind("id", id)
                .bind("outcome", outcome)
                .bind("now", now)
                .then();
    }

    /** Counts a failed attempt: due again at {@code next}, or FAILED when {@code next} is null. Returns attempts. */
    Mono<Integer> failed(String id, String error, Instant next) {
        var spec = db.sql("UPDATE stripe_webhook_events SET attempts = attempts + 1, last_error = :error,"
                        + " status = CASE WHEN CAST(:giveUp AS boolean) THEN 'FAILED' ELSE status END,"
                        + " next_attempt_at = COALESCE(:next, next_attempt_at) WHERE id = :id AND status = 'RECEIVED'"
                        + " RETURNING attempts")
                .bind("id", id)
                .bind("error", error)
                .bind("giveUp", next == null);
        spec = next == null ? spec.bindNull("next", Instant.class) : spec.bind("next", next);
        return spec.map(r -> r.get("attempts", Integer.class)).one();
    }

    Mono<Integer> attempts(String id) {
        return db.sql("SELECT attempts FROM stripe_webhook_events WHERE id = :id")
                .bind("id", id)
                .map(r -> r.get("attempts", Integer.class))
                .one();
    }

    Mono<Long> countFailed() {
        return db.sql("SELECT count(*) AS n FROM stripe_webhook_events WHERE status = 'FAILED'")
                .map(r -> r.get("n", Long.class))
                .one();
    }
}
