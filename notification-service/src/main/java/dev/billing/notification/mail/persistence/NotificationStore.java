package dev.billing.notification.mail.persistence;

import dev.billing.notification.mail.domain.NotificationStatus;
import dev.billing.notification.mail.domain.Preferences;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The notification log, the users read model and the preferences, in the service's own schema. */
@Repository
public class NotificationStore {

    /** A row as the log lists it (no model: it may hold a secret). */
    public record LogEntry(
            UUID id,
            String eventType,
            String category,
            String subject,
            NotificationStatus status,
            int attempts,
            Instant nextAttemptAt,
            Instant createdAt,
            Instant sentAt) {}

    /** A row claimed for sending, with the address it goes to (the event's, else the user's). */
    public record Claimed(
            UUID id,
            UUID eventId,
            String eventType,
            UUID userId,
            String recipient,
            String name,
            String subject,
            String model,
            int attempts) {}

    public record NewNotification(
            UUID id,
            UUID eventId,
            String eventType,
            UUID userId,
            String category,
            String recipient,
            String subject,
            String model,
            NotificationStatus status) {}

    public record KnownUser(UUID id, String email, String name, Instant deactivatedAt) {}

    private final DatabaseClient db;

    NotificationStore(DatabaseClient db) {
        this.db = db;
    }

    // ---- users ------------------------------------------------------------------------------------

    /** Inserts or refreshes a user's address and name; an older event than the one applied changes nothing. */
    public Mono<Void> upsertUser(UUID id, String email, String name, long version, Instant deactivatedAt, Instant now) {
        return bindInstant(
                        db.sql("INSERT INTO users (id, email, name, deactivated_at, version, updated_at)"
                                        + " VALUES (:id, :email, :name, :deactivated, :version, :now)"
                                        + " ON CONFLICT (id) DO UPDATE SET email = excluded.email, name = excluded.name,"
                                        + " deactivated_at = COALESCE(excluded.deactivated_at, users.deactivated_at),"
                                        + " version = excluded.version, updated_at = excluded.updated_at"
                                        + " WHERE users.version < excluded.version")
                                .bind("id", id)
                                .bind("email", email)
                                .bind("name", name)
                                .bind("version", version)
                                .bind("now", now),
                        "deactivated",
                        deactivatedAt)
                .then();
    }

    public Mono<KnownUser> user(UUID id) {
        return db.sql("SELECT id, email, name, deactivated_at FROM users WHERE id = :id")
                .bind("id", id)
                .map(r -> new KnownUser(
                        r.get("id", UUID.class),
                        r.get("email", String.class),
                        r.get("name", String.class),
                        r.get("deactivated_at", Instant.class)))
                .one();
    }

    // ---- preferences ------------------------------------------------------------------------------

    public Mono<Preferences> preferences(UUID userId) {
        return db.sql("SELECT marketing, subscription_updates FROM preferences WHERE user_id = :user")
                .bind("user", userId)
                .map(r -> new Preferences(
                        Boolean.TRUE.equals(r.get("marketing", Boolean.class)),
                        Boolean.TRUE.equals(r.get("subscription_updates", Boolean.class))))
                .one()
                .defaultIfEmpty(Preferences.DEFAULT);
    }

    public Mono<Void> savePreferences(UUID userId, Preferences p, Instant now) {
        return db.sql("INSERT INTO preferences (user_id, marketing, subscription_updates, updated_at)"
                        + " VALUES (:user, :marketing, :updates, :now) ON CONFLICT (user_id) DO UPDATE SET"
                        + " marketing = excluded.marketing, subscription_updates = excluded.subscription_updates,"
                        + " updated_at = excluded.updated_at")
                .bind("user", userId)
                .bind("marketing", p.marketing())
                .bind("updates", p.subscriptionUpdates())
                .bind("now", now)
                .then();
    }

    // ---- the log ----------------------------------------------------------------------------------

    /** Adds a row; false when the event already has one (a redelivery the inbox did not catch). */
    public Mono<Boolean> insert(NewNotification n, Instant now) {
        boolean pending = n.status() == NotificationStatus.PENDING;
        GenericExecuteSpec spec = db.sql("INSERT INTO notifications (id, event_id, event_type, user_id, category,"
                        + " recipient, subject, model, status, attempts, next_attempt_at, created_at, updated_at)"
                        + " VALUES (:id, :event, :type, :user, :category, :recipient, :subject, :model, :status, 0,"
                        + " :next, :now, :now) ON CONFLICT (event_id) DO NOTHING")
                .bind("id", n.id())
                .bind("event", n.eventId())
                .bind("type", n.eventType())
                .bind("user", n.userId())
                .bind("category", n.category())
                .bind("subject", n.subject())
                .bind("status", n.status().name())
                .bind("now", now);
        spec = bindString(spec, "recipient", n.recipient());
        spec = bindString(spec, "model", pending ? n.model() : null);
        spec = bindInstant(spec, "next", pending ? now : null);
        return spec.fetch().rowsUpdated().map(count -> count == 1);
    }

    /**
     * Claims due PENDING rows whose address is known (from the event or the users read model):
     * {@code SKIP LOCKED} keeps replicas on disjoint rows, and the lease (next attempt pushed to
     * {@code leaseUntil}) keeps them from claiming a row again while it is being sent.
     */
    public Flux<Claimed> claimDue(Instant now, Instant leaseUntil, int limit) {
        return db.sql(
                        "UPDATE notifications n SET attempts = n.attempts + 1, next_attempt_at = :lease, updated_at = :now"
                                + " FROM (SELECT d.id FROM notifications d WHERE d.status = 'PENDING'"
                                + " AND d.next_attempt_at <= :now AND (d.recipient IS NOT NULL"
                                + " OR EXISTS (SELECT 1 FROM users u WHERE u.id = d.user_id))"
                                + " ORDER BY d.next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED) due"
                                + " WHERE n.id = due.id RETURNING n.id, n.event_id, n.event_type, n.user_id, n.subject,"
                                + " n.model, n.attempts, COALESCE(n.recipient, (SELECT u.email FROM users u"
                                + " WHERE u.id = n.user_id)) AS to_address, (SELECT u.name FROM users u"
                                + " WHERE u.id = n.user_id) AS user_name")
                .bind("now", now)
                .bind("lease", leaseUntil)
                .bind("limit", limit)
                .map(NotificationStore::claimed)
                .all();
    }

    public Mono<Void> markSent(UUID id, String recipient, Instant now) {
        return db.sql(
                        "UPDATE notifications SET status = 'SENT', recipient = :recipient, model = NULL,"
                                + " next_attempt_at = NULL, last_error = NULL, sent_at = :now, updated_at = :now WHERE id = :id")
                .bind("id", id)
                .bind("recipient", recipient)
                .bind("now", now)
                .then();
    }

    /** A failed attempt: try again at {@code nextAttempt}, or FAILED for good when it is null. */
    public Mono<Void> markAttemptFailed(UUID id, String error, Instant nextAttempt, Instant now) {
        String sql = nextAttempt == null
                ? "UPDATE notifications SET status = 'FAILED', model = NULL, next_attempt_at = NULL,"
                        + " last_error = :error, updated_at = :now WHERE id = :id"
                : "UPDATE notifications SET next_attempt_at = :next, last_error = :error, updated_at = :now"
                        + " WHERE id = :id";
        GenericExecuteSpec spec =
                db.sql(sql).bind("id", id).bind("error", error).bind("now", now);
        return (nextAttempt == null ? spec : spec.bind("next", nextAttempt)).then();
    }

    /** Mails still waiting for a user that never registered: FAILED, their model dropped. */
    public Mono<Long> failWaitingForUnknownUsers(Instant createdBefore, Instant now) {
        return db.sql("UPDATE notifications n SET status = 'FAILED', model = NULL, next_attempt_at = NULL,"
                        + " last_error = 'user unknown: no user-registered arrived', updated_at = :now"
                        + " WHERE n.status = 'PENDING' AND n.recipient IS NULL AND n.created_at < :before"
                        + " AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = n.user_id)")
                .bind("before", createdBefore)
                .bind("now", now)
                .fetch()
                .rowsUpdated();
    }

    /** One user's log, newest first. */
    public Flux<LogEntry> logOf(UUID userId, int page, int size) {
        return db.sql("SELECT id, event_type, category, subject, status, attempts, next_attempt_at, created_at, sent_at"
                        + " FROM notifications WHERE user_id = :user ORDER BY created_at DESC, id DESC"
                        + " LIMIT :limit OFFSET :offset")
                .bind("user", userId)
                .bind("limit", size)
                .bind("offset", (long) page * size)
                .map(r -> new LogEntry(
                        r.get("id", UUID.class),
                        r.get("event_type", String.class),
                        r.get("category", String.class),
                        r.get("subject", String.class),
                        NotificationStatus.valueOf(r.get("status", String.class)),
                        r.get("attempts", Integer.class),
                        r.get("next_attempt_at", Instant.class),
                        r.get("created_at", Instant.class),
                        r.get("sent_at", Instant.class)))
                .all();
    }

    public Mono<Long> countOf(UUID userId) {
        return db.sql("SELECT count(*) FROM notifications WHERE user_id = :user")
                .bind("user", userId)
                .map(r -> r.get(0, Long.class))
                .one();
    }

    private static Claimed claimed(Readable r) {
        return new Claimed(
                r.get("id", UUID.class),
                r.get("event_id", UUID.class),
                r.get("event_type", String.class),
                r.get("user_id", UUID.class),
                r.get("to_address", String.class),
                r.get("user_name", String.class),
                r.get("subject", String.class),
                r.get("model", String.class),
                r.get("attempts", Integer.class));
    }

    private static GenericExecuteSpec bindInstant(GenericExecuteSpec spec, String name, Instant value) {
        return value == null ? spec.bindNull(name, Instant.class) : spec.bind(name, value);
    }

    private static GenericExecuteSpec bindString(GenericExecuteSpec spec, String name, String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }
}
