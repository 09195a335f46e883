package dev.billing.subscription.web;

import dev.billing.subscription.domain.Subscription;
import java.time.Instant;
import java.util.UUID;

/** A subscription as the API shows it. {@code checkout} is null until payment-service created one. */
record SubscriptionResponse(
        UUID id,
        UUID userId,
        UUID planId,
        String planName,
        String status,
        int priceVersion,
        long amount,
        String currency,
        String interval,
        int intervalCount,
        Instant currentPeriodStart,
        Instant currentPeriodEnd,
        Instant trialEnd,
        boolean cancelAtPeriodEnd,
        Instant canceledAt,
        Instant endedAt,
        ScheduledChange scheduledChange,
        CheckoutView checkout,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    record CheckoutView(String url, Instant expiresAt) {}

    /** A downgrade waiting for the period end. */
    record ScheduledChange(UUID planId, String planName, Instant effectiveAt) {}

    static SubscriptionResponse of(Subscription s) {
        var p = s.plan();
        return new SubscriptionResponse(
                s.id(),
                s.userId(),
                p.planId(),
                p.name(),
                s.status().name(),
                p.priceVersion(),
                p.amount(),
                p.currency(),
                p.interval().name(),
                p.intervalCount(),
                s.currentPeriodStart(),
                s.currentPeriodEnd(),
                s.trialEnd(),
                s.cancelAtPeriodEnd(),
                s.canceledAt(),
                s.endedAt(),
                s.pendingPlan() == null
                        ? null
                        : new ScheduledChange(
                                s.pendingPlan().planId(), s.pendingPlan().name(), s.currentPeriodEnd()),
                s.checkout() == null
                        ? null
                        : new CheckoutView(s.checkout().url(), s.checkout().expiresAt()),
                s.version(),
                s.createdAt(),
                s.updatedAt());
    }
}
