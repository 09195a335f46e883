package dev.billing.subscription.persistence;

import dev.billing.subscription.domain.Entitlement;
import io.r2dbc.spi.Parameters;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The {@code entitlements} table: the current entitlement per user and its version. */
@Repository
public class EntitlementRepository {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final DatabaseClient db;
    private final JsonMapper json;

    EntitlementRepository(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Stores the user's entitlement and returns its new version (1, 2, ...); locks the row until commit. */
    public Mono<Long> save(Entitlement e, Instant now) {
        return db.sql("INSERT INTO entitlements (user_id, subscription_id, plan_id, status, features, valid_until,"
                        + " version, updated_at) VALUES (:userId, :subscriptionId, :planId, :status, :features,"
                        + " :validUntil, 1, :now) ON CONFLICT (user_id) DO UPDATE SET"
                        + " subscription_id = EXCLUDED.subscription_id, plan_id = EXCLUDED.plan_id,"
                        + " status = EXCLUDED.status, features = EXCLUDED.features,"
                        + " valid_until = EXCLUDED.valid_until, version = entitlements.version + 1,"
                        + " updated_at = EXCLUDED.updated_at RETURNING version")
                .bind("userId", e.userId())
                .bind("subscriptionId", e.subscriptionId() == null ? Parameters.in(UUID.class) : e.subscriptionId())
                .bind("planId", e.planId() == null ? Parameters.in(UUID.class) : e.planId())
                .bind("status", e.status())
                .bind("features", json.writeValueAsString(e.features()))
                .bind("validUntil", e.validUntil() == null ? Parameters.in(Instant.class) : e.validUntil())
                .bind("now", now)
                .map(row -> row.get("version", Long.class))
                .one();
    }

    public Mono<Entitlement> find(UUID userId) {
        return db.sql("SELECT user_id, subscription_id, plan_id, status, features, valid_until FROM entitlements"
                        + " WHERE user_id = :userId")
                .bind("userId", userId)
                .map(row -> new Entitlement(
                        row.get("user_id", UUID.class),
                        row.get("subscription_id", UUID.class),
                        row.get("plan_id", UUID.class),
                        row.get("status", String.class),
                        json.readValue(row.get("features", String.class), MAP),
                        SubscriptionRepository.instant(row, "valid_until")))
                .one();
    }
}
