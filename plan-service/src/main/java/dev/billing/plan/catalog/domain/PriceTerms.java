package dev.billing.plan.catalog.domain;

import java.util.Objects;

/**
 * What a subscriber pays: {@code amount} minor units of {@code currency} every {@code
 * intervalCount} {@code interval}s. A change of any of these makes a new price version.
 */
public record PriceTerms(long amount, String currency, BillingInterval interval, int intervalCount) {

    public PriceTerms {
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(interval, "interval");
        if (amount < 0 || intervalCount < 1) {
            throw new IllegalArgumentException("amount must be >= 0 and intervalCount >= 1");
        }
    }
}
