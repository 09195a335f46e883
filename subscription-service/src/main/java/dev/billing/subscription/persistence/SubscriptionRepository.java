package dev.billing.subscription.persistence;

import dev.billing.subscription.domain.Checkout;
import dev.billing.subscription.domain.PlanTerms;
import dev.billing.subscription.domain.Subscription;
import dev.billing.subscription.domain.SubscriptionStatus;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** The {@code subscriptions} table. */
@Repository
public class SubscriptionRepository {

    private static final String COLUMNS = "id, user_id, user_email, plan, plan_id, pending_plan, status,"
            + " current_period_start, current_period_end, trial_end, cancel_at_period_end, canceled_at, ended_at,"
            + " checkout_url, checkout_expires_at, dunning_until, payment_version, version, created_at, updated_at";

    private static final String LIVE = "('INCOMPLETE', 'TRIALING', 'ACTIVE', 'PAST_DUE')";

    private final DatabaseClient db;
    private final JsonMapper json;

    SubscriptionRepository(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /**
     * Inserts a new subscription. A second live subscription of the same user violates the
     * partial unique index: Spring's {@code DataIntegrityViolationException}.
     */
    public Mono<Subscription> insert(Subscription s) {
        return bind(
                        db.sql("INSERT INTO subscriptions (" + COLUMNS + ") VALUES (:id, :userId, :userEmail, :plan,"
                                + " :planId, :pendingPlan, :status, :periodStart, :periodEnd, :trialEnd,"
                                + " :cancelAtPeriodEnd, :canceledAt, :endedAt, :checkoutUrl, :checkoutExpiresAt,"
                                + " :dunningUntil, :paymentVersion, :version, :createdAt, :updatedAt)"),
                        s)
                .bind("userId", s.userId())
                .bind("userEmail", nullable(s.userEmail(), String.class))
                .bind("createdAt", s.createdAt())
                .fetch()
                .rowsUpdated()
                .thenReturn(s);
    }

    /** Writes a changed subscription; the stored version must be {@code previousVersion}. */
    public Mono<Subscription> update(Subscription s, long previousVersion) {
        return bind(
                        db.sql("UPDATE subscriptions SET plan = :plan, plan_id = :planId, pending_plan = :pendingPlan,"
                                + " status = :status, current_period_start = :periodStart,"
                                + " current_period_end = :periodEnd, trial_end = :trialEnd,"
                                + " cancel_at_period_end = :cancelAtPeriodEnd, canceled_at = :canceledAt,"
                                + " ended_at = :endedAt, checkout_url = :checkoutUrl,"
                                + " checkout_expires_at = :checkoutExpiresAt, dunning_until = :dunningUntil,"
                                + " payment_version = :paymentVersion, version = :version, updated_at = :updatedAt"
                                + " WHERE id = :id AND version = :previous"),
                        s)
                .bind("previous", previousVersion)
                .fetch()
                .rowsUpdated()
                .flatMap(n -> n == 1 ? Mono.just(s) : Mono.error(new ConcurrentChangeException(s.id())));
    }

    private GenericExecuteSpec bind(GenericExecuteSpec spec, Subscription s) {
        Checkout checkout = s.checkout();
        return spec.bind("id", s.id())
                .bind("plan", json.writeValueAsString(s.plan()))
                .bind("planId", s.plan().planId())
                .bind(
                        "pendingPlan",
                        s.pendingPlan() == null
                                ? Parameters.in(String.class)
                                : json.writeValueAsString(s.pendingPlan()))
                .bind("status", s.status().name())
                .bind("periodStart", nullable(s.currentPeriodStart(), Instant.class))
                .bind("periodEnd", nullable(s.currentPeriodEnd(), Instant.class))
                .bind("trialEnd", nullable(s.trialEnd(), Instant.class))
                .bind("cancelAtPeriodEnd", s.cancelAtPeriodEnd())
                .bind("canceledAt", nullable(s.canceledAt(), Instant.class))
                .bind("endedAt", nullable(s.endedAt(), Instant.class))
                .bind("checkoutUrl", nullable(checkout == null ? null : checkout.url(), String.class))
                .bind("checkoutExpiresAt", nullable(checkout == null ? null : checkout.expiresAt(), Instant.class))
                .bind("dunningUntil", nullable(s.dunningUntil(), Instant.class))
                .bind("paymentVersion", s.paymentVersion())
                .bind("version", s.version())
                .bind("updatedAt", s.updatedAt());
    }

    public Mono<Subscription> findById(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM subscriptions WHERE id = :id")
                .bind("id", id)
                .map(this::toSubscription)
                .one();
    }

    /** Loads and locks the row until the transaction ends (serialises changes of one subscription). */
    public Mono<Subscription> lock(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM subscriptions WHERE id = :id FOR UPDATE")
                .bind("id", id)
                .map(this::toSubscription)
                .one();
    }

    public Flux<Subscription> lockLiveOfUser(UUID userId) {
        return db.sql("SELECT " + COLUMNS + " FROM subscriptions WHERE user_id = :userId AND status IN " + LIVE
                        + " FOR UPDATE")
                .bind("userId", userId)
                .map(this::toSubscription)
                .all();
    }

    public Mono<Subscription> findLiveOfUser(UUID userId) {
        return db.sql("SELECT " + COLUMNS + " FROM subscriptions WHERE user_id = :userId AND status IN " + LIVE)
                .bind("userId", userId)
                .map(this::toSubscription)
                .one();
    }

    /** The user's subscriptions, newest first (at most {@code limit}). */
    public Flux<Subscription> findByUser(UUID userId, int limit) {
        return db.sql("SELECT " + COLUMNS + " FROM subscriptions WHERE user_id = :userId"
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("userId", userId)
                .bind("limit", limit)
                .map(this::toSubscription)
                .all();
    }

    /** Admin list, newest first, filtered by status and/or user. */
    public Flux<Subscription> page(SubscriptionStatus status, UUID userId, int page, int size) {
        return filter(
                        "SELECT " + COLUMNS + " FROM subscriptions WHERE " + where(status, userId)
                                + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset",
                        status,
                        userId)
                .bind("limit", size)
                .bind("offset", (long) page * size)
                .map(this::toSubscription)
                .all();
    }

    public Mono<Long> count(SubscriptionStatus status, UUID userId) {
        return filter("SELECT count(*) FROM subscriptions WHERE " + where(status, userId), status, userId)
                .map(row -> row.get(0, Long.class))
                .one();
    }

    private static String where(SubscriptionStatus status, UUID userId) {
        return (status == null ? "TRUE" : "status = :status") + (userId == null ? "" : " AND user_id = :userId");
    }

    private GenericExecuteSpec filter(String sql, SubscriptionStatus status, UUID userId) {
        GenericExecuteSpec spec = db.sql(sql);
        if (status != null) {
            spec = spec.bind("status", status.name());
        }
        if (userId != null) {
            spec = spec.bind("userId", userId);
        }
        return spec;
    }

    /**
     * Claims up to {@code limit} rows matching {@code condition} (with {@code :at} bound) for this
     * transaction: {@code FOR UPDATE SKIP LOCKED}, so replicas running the same job take disjoint rows.
     */
    public Flux<Subscription> claim(String condition, Instant at, int limit) {
        return db.sql("SELECT " + COLUMNS + " FROM subscriptions WHERE " + condition
                        + " ORDER BY updated_at LIMIT :limit FOR UPDATE SKIP LOCKED")
                .bind("at", at)
                .bind("limit", limit)
                .map(this::toSubscription)
                .all();
    }

    private Subscription toSubscription(Readable row) {
        String checkoutUrl = row.get("checkout_url", String.class);
        String pending = row.get("pending_plan", String.class);
        return new Subscription(
                row.get("id", UUID.class),
                row.get("user_id", UUID.class),
                row.get("user_email", String.class),
                json.readValue(row.get("plan", String.class), PlanTerms.class),
                pending == null ? null : json.readValue(pending, PlanTerms.class),
                SubscriptionStatus.valueOf(row.get("status", String.class)),
                instant(row, "current_period_start"),
                instant(row, "current_period_end"),
                instant(row, "trial_end"),
                Boolean.TRUE.equals(row.get("cancel_at_period_end", Boolean.class)),
                instant(row, "canceled_at"),
                instant(row, "ended_at"),
                checkoutUrl == null ? null : new Checkout(checkoutUrl, instant(row, "checkout_expires_at")),
                instant(row, "dunning_until"),
                row.get("payment_version", Long.class),
                row.get("version", Long.class),
                instant(row, "created_at"),
                instant(row, "updated_at"));
    }

    static Instant instant(Readable row, String column) {
        OffsetDateTime t = row.get(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static Object nullable(Object value, Class<?> type) {
        return value == null ? Parameters.in(type) : value;
    }
}
