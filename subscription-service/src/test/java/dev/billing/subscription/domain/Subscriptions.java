package dev.billing.subscription.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Object mother: plans and subscriptions in every status. */
final class Subscriptions {

    static final Instant T0 = Instant.parse("2027-01-15T10:00:00Z");
    static final Instant PERIOD_START = Instant.parse("2027-01-01T00:00:00Z");
    static final Instant PERIOD_END = Instant.parse("2027-02-01T00:00:00Z");

    private Subscriptions() {}

    static PlanTerms plan(String name, long amount, int tier, int trialDays) {
        return new PlanTerms(
                UUID.randomUUID(),
                name,
                1,
                amount,
                "USD",
                BillingInterval.MONTH,
                1,
                trialDays,
                tier,
                Map.of("tier", name.toLowerCase()));
    }

    static PlanTerms basic() {
        return plan("Basic", 999, 1, 0);
    }

    static PlanTerms premium() {
        return plan("Premium", 1999, 3, 0);
    }

    static Subscription of(SubscriptionStatus status) {
        return of(status, basic());
    }

    static Subscription of(SubscriptionStatus status, PlanTerms plan) {
        boolean period = status != SubscriptionStatus.INCOMPLETE && status != SubscriptionStatus.INCOMPLETE_EXPIRED;
        return new Subscription(
                UUID.randomUUID(),
                UUID.randomUUID(),
                "jane@example.com",
                plan,
                null,
                status,
                period ? PERIOD_START : null,
                period ? PERIOD_END : null,
                status == SubscriptionStatus.TRIALING ? PERIOD_END : null,
                false,
                null,
                null,
                null,
                null,
                0,
                5,
                PERIOD_START,
                PERIOD_START);
    }

    static Subscription cancelingAtPeriodEnd(SubscriptionStatus status) {
        Subscription s = of(status);
        s.cancelAtPeriodEnd(CancelReason.REQUESTED_BY_USER, T0);
        return s;
    }

    static PaidPeriod paid(Instant start, Instant end) {
        return new PaidPeriod(UUID.randomUUID(), start, end);
    }

    static FailedCharge failed(Instant start, Instant end, Instant nextRetryAt) {
        return new FailedCharge(UUID.randomUUID(), 999, "USD", start, end, 1, nextRetryAt);
    }
}
