package dev.billing.payment.billing.provider.stripe;

import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The Stripe id mapping: {@code stripe_prices}, {@code stripe_subscriptions}, sessions' {@code cs_} ids. */
class StripeStore {

    record PriceRow(UUID planId, int priceVersion, String productId, String priceId, boolean active) {}

    private final DatabaseClient db;

    StripeStore(DatabaseClient db) {
        this.db = db;
    }

    Mono<PriceRow> price(UUID planId, int priceVersion) {
        return db.sql("SELECT * FROM stripe_prices WHERE plan_id = :plan AND price_version = :pv")
                .bind("plan", planId)
                .bind("pv", priceVersion)
                .map(r -> new PriceRow(
                        r.get("plan_id", UUID.class),
                        r.get("price_version", Integer.class),
                        r.get("stripe_product_id", String.class),
                        r.get("stripe_price_id", String.class),
                        Boolean.TRUE.equals(r.get("active", Boolean.class))))
                .one();
    }

    /** The product of a plan, from any of its prices. */
    Mono<String> product(UUID planId) {
        return db.sql("SELECT stripe_product_id FROM stripe_prices WHERE plan_id = :plan LIMIT 1")
                .bind("plan", planId)
                .map(r -> r.get("stripe_product_id", String.class))
                .one();
    }

    /** Active prices of a plan other than {@code keepVersion} (-1: all). */
    Flux<String> activePrices(UUID planId, int keepVersion) {
        return db.sql("SELECT stripe_price_id FROM stripe_prices WHERE plan_id = :plan AND active"
                        + " AND price_version <> :pv")
                .bind("plan", planId)
                .bind("pv", keepVersion)
                .map(r -> r.get("stripe_price_id", String.class))
                .all();
    }

    Mono<Void> insertPrice(UUID planId, int priceVersion, String productId, String priceId, Instant now) {
        return db.sql("INSERT INTO stripe_prices (plan_id, price_version, stripe_product_id, stripe_price_id, active,"
                        + " created_at) VALUES (:plan, :pv, :product, :price, true, :now) ON CONFLICT DO NOTHING")
                .bind("plan", planId)
                .bind("pv", priceVersion)
                .bind("product", productId)
                .bind("price", priceId)
                .bind("now", now)
                .then();
    }

    Mono<Void> deactivate(String priceId) {
        return db.sql("UPDATE stripe_prices SET active = false WHERE stripe_price_id = :price")
                .bind("price", priceId)
                .then();
    }

    /** The Stripe subscription of ours, once its checkout completed (written by the webhook side). */
    Mono<String> stripeSubscription(UUID subscriptionId) {
        return db.sql("SELECT stripe_subscription_id FROM stripe_subscriptions WHERE subscription_id = :sub")
                .bind("sub", subscriptionId)
                .map(r -> r.get("stripe_subscription_id", String.class))
                .one();
    }

    /** Stripe's ids of a subscription's open checkout sessions. */
    Flux<String> openCheckouts(UUID subscriptionId) {
        return db.sql("SELECT provider_reference FROM checkout_sessions WHERE subscription_id = :sub"
                        + " AND status = 'OPEN' AND provider_reference IS NOT NULL")
                .bind("sub", subscriptionId)
                .map(r -> r.get("provider_reference", String.class))
                .all();
    }
}
