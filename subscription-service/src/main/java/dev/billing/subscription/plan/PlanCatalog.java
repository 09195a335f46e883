package dev.billing.subscription.plan;

import dev.billing.subscription.domain.BillingInterval;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local read model of plan-service's catalog (table {@code plans}). Writes keep only the
 * newest state per plan by plan-service's {@code aggregateversion}: an older event arriving late
 * changes nothing.
 */
@Repository
public class PlanCatalog {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final DatabaseClient db;
    private final JsonMapper json;

    PlanCatalog(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** A plan with full details (one known only from plan-archived is absent). */
    public Mono<CatalogPlan> find(UUID id) {
        return db.sql("SELECT * FROM plans WHERE id = :id AND name IS NOT NULL")
                .bind("id", id)
                .map(row -> new CatalogPlan(
                        row.get("id", UUID.class),
                        row.get("code", String.class),
                        row.get("name", String.class),
                        row.get("amount", Long.class),
                        row.get("currency", String.class),
                        row.get("price_version", Integer.class),
                        BillingInterval.valueOf(row.get("billing_interval", String.class)),
                        row.get("interval_count", Integer.class),
                        row.get("trial_days", Integer.class),
                        json.readValue(row.get("features", String.class), MAP),
                        row.get("tier", Integer.class),
                        row.get("status", String.class)))
                .one();
    }

    /** Applies plan-published; true when it was newer than what is stored. */
    public Mono<Boolean> published(CatalogPlan plan, long version, Instant now) {
        return db.sql("INSERT INTO plans (id, code, name, amount, currency, price_version, billing_interval,"
                        + " interval_count, trial_days, tier, features, status, version, updated_at) VALUES (:id,"
                        + " :code, :name, :amount, :currency, :priceVersion, :interval, :intervalCount, :trialDays,"
                        + " :tier, :features, :status, :version, :now) ON CONFLICT (id) DO UPDATE SET"
                        + " code = EXCLUDED.code, name = EXCLUDED.name, amount = EXCLUDED.amount,"
                        + " currency = EXCLUDED.currency, price_version = EXCLUDED.price_version,"
                        + " billing_interval = EXCLUDED.billing_interval, interval_count = EXCLUDED.interval_count,"
                        + " trial_days = EXCLUDED.trial_days, tier = EXCLUDED.tier, features = EXCLUDED.features,"
                        // an archive seen first (same version, no details) keeps ARCHIVED but gains the details
                        + " status = CASE WHEN plans.version = EXCLUDED.version THEN"
                        + " CASE WHEN plans.status = 'ARCHIVED' THEN 'ARCHIVED' ELSE EXCLUDED.status END"
                        + " ELSE EXCLUDED.status END,"
                        + " version = EXCLUDED.version, updated_at = EXCLUDED.updated_at"
                        + " WHERE plans.version < EXCLUDED.version"
                        + " OR (plans.version = EXCLUDED.version AND plans.name IS NULL)")
                .bind("id", plan.id())
                .bind("code", plan.code())
                .bind("name", plan.name())
                .bind("amount", plan.amount())
                .bind("currency", plan.currency())
                .bind("priceVersion", plan.priceVersion())
                .bind("interval", plan.interval().name())
                .bind("intervalCount", plan.intervalCount())
                .bind("trialDays", plan.trialDays())
                .bind("tier", plan.tier())
                .bind("features", json.writeValueAsString(plan.features()))
                .bind("status", plan.status())
                .bind("version", version)
                .bind("now", now)
                .fetch()
                .rowsUpdated()
                .map(n -> n > 0);
    }

    /** Applies plan-archived: no new subscriptions; a plan not seen yet is remembered as archived. */
    public Mono<Boolean> archived(UUID id, String code, long version, Instant now) {
        return db.sql("INSERT INTO plans (id, code, status, version, updated_at) VALUES (:id, :code, 'ARCHIVED',"
                        + " :version, :now) ON CONFLICT (id) DO UPDATE SET status = 'ARCHIVED',"
                        + " version = EXCLUDED.version, updated_at = EXCLUDED.updated_at"
                        + " WHERE plans.version <= EXCLUDED.version")
                .bind("id", id)
                .bind("code", code)
                .bind("version", version)
                .bind("now", now)
                .fetch()
                .rowsUpdated()
                .map(n -> n > 0);
    }
}
