package dev.billing.subscription.domain;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The plan as sold to one subscription: the price version it was bought at, so a later price
 * change does not touch it, and the features it grants.
 */
public record PlanTerms(
        UUID planId,
        String name,
        int priceVersion,
        long amount,
        String currency,
        BillingInterval interval,
        int intervalCount,
        int trialDays,
        int tier,
        Map<String, Object> features) {

    public PlanTerms {
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(interval, "interval");
        if (amount < 0) {
            throw new IllegalArgumentException("amount must be >= 0");
        }
        if (intervalCount < 1) {
            throw new IllegalArgumentException("intervalCount must be >= 1");
        }
        features = features == null ? Map.of() : Map.copyOf(features);
    }

    public boolean isFree() {
        return amount == 0;
    }

    public boolean sameBillingCycleAs(PlanTerms other) {
        return currency.equals(other.currency) && interval == other.interval && intervalCount == other.intervalCount;
    }
}
