package dev.billing.subscription.domain;

/** The unit of a billing period. */
public enum BillingInterval {
    DAY,
    WEEK,
    MONTH,
    YEAR
}
