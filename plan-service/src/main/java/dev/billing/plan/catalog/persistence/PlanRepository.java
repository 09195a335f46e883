package dev.billing.plan.catalog.persistence;

import dev.billing.plan.catalog.domain.BillingInterval;
import dev.billing.plan.catalog.domain.Plan;
import dev.billing.plan.catalog.domain.PlanDefinition;
import dev.billing.plan.catalog.domain.PlanPrice;
import dev.billing.plan.catalog.domain.PlanStatus;
import dev.billing.plan.catalog.domain.PriceTerms;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The {@code plans} table joined with each plan's current row of {@code plan_price}. */
@Repository
public class PlanRepository {

    private static final String SELECT = "SELECT p.id, p.code, p.name, p.description, p.price_version,"
            + " p.trial_days, p.features::text AS features, p.tier, p.status, p.version, p.created_at,"
            + " p.updated_at, p.archived_at, pr.amount, pr.currency, pr.billing_interval, pr.interval_count"
            + " FROM plans p JOIN plan_price pr ON pr.plan_id = p.id AND pr.price_version = p.price_version";

    private static final TypeReference<LinkedHashMap<String, Object>> FEATURES = new TypeReference<>() {};

    private final DatabaseClient db;
    private final JsonMapper json;

    PlanRepository(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Inserts a new plan unless its code is taken; true when inserted. Its price goes in with {@link #insertPrice}. */
    public Mono<Boolean> insertIfCodeAbsent(Plan plan) {
        return db.sql("INSERT INTO plans (id, code, name, description, price_version, trial_days, features, tier,"
                        + " status, version, created_at, updated_at, archived_at) VALUES (:id, :code, :name,"
                        + " :description, :priceVersion, :trialDays, CAST(:features AS jsonb), :tier, :status,"
                        + " :version, :createdAt, :updatedAt, :archivedAt) ON CONFLICT (code) DO NOTHING")
                .bind("id", plan.id())
                .bind("code", plan.code())
                .bind("name", plan.definition().name())
                .bind("description", nullable(plan.definition().description()))
                .bind("priceVersion", plan.priceVersion())
                .bind("trialDays", plan.definition().trialDays())
                .bind("features", json.writeValueAsString(plan.definition().features()))
                .bind("tier", plan.definition().tier())
                .bind("status", plan.status().name())
                .bind("version", plan.version())
                .bind("createdAt", plan.createdAt())
                .bind("updatedAt", plan.updatedAt())
                .bind("archivedAt", nullable(plan.archivedAt()))
                .fetch()
                .rowsUpdated()
                .map(n -> n == 1);
    }

    public Mono<Void> insertPrice(PlanPrice price) {
        return db.sql("INSERT INTO plan_price (plan_id, price_version, amount, currency, billing_interval,"
                        + " interval_count, created_at) VALUES (:planId, :version, :amount, :currency, :interval,"
                        + " :count, :createdAt)")
                .bind("planId", price.planId())
                .bind("version", price.version())
                .bind("amount", price.terms().amount())
                .bind("currency", price.terms().currency())
                .bind("interval", price.terms().interval().name())
                .bind("count", price.terms().intervalCount())
                .bind("createdAt", price.createdAt())
                .then();
    }

    /**
     * Writes a changed plan. The caller holds the row lock ({@link #findByIdForUpdate}); the
     * version guard is a second line of defence.
     */
    public Mono<Plan> update(Plan plan) {
        return db.sql("UPDATE plans SET name = :name, description = :description, price_version = :priceVersion,"
                        + " trial_days = :trialDays, features = CAST(:features AS jsonb), tier = :tier,"
                        + " status = :status, version = :version, updated_at = :updatedAt,"
                        + " archived_at = :archivedAt WHERE id = :id AND version = :previous")
                .bind("id", plan.id())
                .bind("name", plan.definition().name())
                .bind("description", nullable(plan.definition().description()))
                .bind("priceVersion", plan.priceVersion())
                .bind("trialDays", plan.definition().trialDays())
                .bind("features", json.writeValueAsString(plan.definition().features()))
                .bind("tier", plan.definition().tier())
                .bind("status", plan.status().name())
                .bind("version", plan.version())
                .bind("previous", plan.version() - 1)
                .bind("updatedAt", plan.updatedAt())
                .bind("archivedAt", nullable(plan.archivedAt()))
                .fetch()
                .rowsUpdated()
                .flatMap(n -> n == 1
                        ? Mono.just(plan)
                        : Mono.error(new IllegalStateException("plan " + plan.id() + " changed concurrently")));
    }

    public Mono<Plan> findById(UUID id) {
        return db.sql(SELECT + " WHERE p.id = :id")
                .bind("id", id)
                .map(this::toPlan)
                .one();
    }

    /** The plan, its row locked until the end of the current transaction. */
    public Mono<Plan> findByIdForUpdate(UUID id) {
        return db.sql(SELECT + " WHERE p.id = :id FOR UPDATE OF p")
                .bind("id", id)
                .map(this::toPlan)
                .one();
    }

    public Mono<Plan> findByCode(String code) {
        return db.sql(SELECT + " WHERE p.code = :code")
                .bind("code", code)
                .map(this::toPlan)
                .one();
    }

    /** A page of the plans with one of these statuses, by tier, then code. */
    public Flux<Plan> page(Set<PlanStatus> statuses, int page, int size) {
        return db.sql(SELECT + " WHERE p.status = ANY(:statuses) ORDER BY p.tier, p.code LIMIT :limit OFFSET :offset")
                .bind("statuses", names(statuses))
                .bind("limit", size)
                .bind("offset", (long) page * size)
                .map(this::toPlan)
                .all();
    }

    public Mono<Long> count(Set<PlanStatus> statuses) {
        return db.sql("SELECT count(*) FROM plans WHERE status = ANY(:statuses)")
                .bind("statuses", names(statuses))
                .map(row -> row.get(0, Long.class))
                .one();
    }

    private static String[] names(Set<PlanStatus> statuses) {
        return statuses.stream().map(Enum::name).sorted().toArray(String[]::new);
    }

    /** Every price version of a plan, oldest first. */
    public Flux<PlanPrice> prices(UUID planId) {
        return db.sql("SELECT plan_id, price_version, amount, currency, billing_interval, interval_count, created_at"
                        + " FROM plan_price WHERE plan_id = :planId ORDER BY price_version")
                .bind("planId", planId)
                .map(PlanRepository::toPrice)
                .all();
    }

    public Mono<PlanPrice> price(UUID planId, int version) {
        return db.sql("SELECT plan_id, price_version, amount, currency, billing_interval, interval_count, created_at"
                        + " FROM plan_price WHERE plan_id = :planId AND price_version = :version")
                .bind("planId", planId)
                .bind("version", version)
                .map(PlanRepository::toPrice)
                .one();
    }

    private Plan toPlan(Readable row) {
        Map<String, Object> features = json.readValue(row.get("features", String.class), FEATURES);
        var definition = new PlanDefinition(
                row.get("name", String.class),
                row.get("description", String.class),
                terms(row),
                row.get("trial_days", Integer.class),
                features,
                row.get("tier", Integer.class));
        return new Plan(
                row.get("id", UUID.class),
                row.get("code", String.class),
                definition,
                row.get("price_version", Integer.class),
                PlanStatus.valueOf(row.get("status", String.class)),
                row.get("version", Long.class),
                instant(row.get("created_at", OffsetDateTime.class)),
                instant(row.get("updated_at", OffsetDateTime.class)),
                instant(row.get("archived_at", OffsetDateTime.class)));
    }

    private static PlanPrice toPrice(Readable row) {
        return new PlanPrice(
                row.get("plan_id", UUID.class),
                row.get("price_version", Integer.class),
                terms(row),
                instant(row.get("created_at", OffsetDateTime.class)));
    }

    private static PriceTerms terms(Readable row) {
        return new PriceTerms(
                row.get("amount", Long.class),
                row.get("currency", String.class),
                BillingInterval.valueOf(row.get("billing_interval", String.class)),
                row.get("interval_count", Integer.class));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static Object nullable(String value) {
        return value == null ? Parameters.in(String.class) : value;
    }

    private static Object nullable(Instant value) {
        return value == null ? Parameters.in(Instant.class) : value;
    }
}
