package dev.billing.subscription.plan;

import dev.billing.subscription.domain.BillingInterval;
import dev.billing.subscription.domain.PlanTerms;
import java.util.Map;
import java.util.UUID;

/** One plan of the local read model (the fields of plan-published this service needs). */
public record CatalogPlan(
        UUID id,
        String code,
        String name,
        long amount,
        String currency,
        int priceVersion,
        BillingInterval interval,
        int intervalCount,
        int trialDays,
        Map<String, Object> features,
        int tier,
        String status) {

    public boolean onSale() {
        return "ACTIVE".equals(status);
    }

    public PlanTerms terms() {
        return new PlanTerms(
                id, name, priceVersion, amount, currency, interval, intervalCount, trialDays, tier, features);
    }
}
