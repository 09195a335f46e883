package dev.billing.plan.catalog.domain;

/**
 * The unit of a billing period. A period is {@code intervalCount} units long and, as in Stripe,
 * at most one year: 365 days, 52 weeks, 12 months or 1 year.
 */
public enum BillingInterval {
    DAY(365),
    WEEK(52),
    MONTH(12),
    YEAR(1);

    private final int maxCount;

    BillingInterval(int maxCount) {
        this.maxCount = maxCount;
    }

    public int maxCount() {
        return maxCount;
    }
}
