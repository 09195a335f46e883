package dev.billing.subscription.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * What a command did. The application layer publishes each with the subscription's state after
 * the command (contracts/events/subscription-*.v1.schema.json) plus entitlements-changed.
 */
public sealed interface SubscriptionEvent {

    record Created(Instant at) implements SubscriptionEvent {}

    record Activated(SubscriptionStatus previousStatus, Instant activatedAt) implements SubscriptionEvent {}

    record Renewed(SubscriptionStatus previousStatus, Instant previousPeriodEnd, UUID invoiceId)
            implements SubscriptionEvent {}

    /** The plan changed now (upgrade, trial change, or a scheduled downgrade reaching the period end). */
    record PlanChanged(
            PlanTerms previousPlan, boolean proration, long prorationCredit, long prorationCharge, Instant effectiveAt)
            implements SubscriptionEvent {}

    /** A downgrade was scheduled for the period end; {@link PlanChanged} follows then. */
    record PlanChangeScheduled(PlanTerms plan, Instant effectiveAt) implements SubscriptionEvent {}

    record PastDue(UUID invoiceId, long amount, String currency, int attemptCount, Instant nextRetryAt)
            implements SubscriptionEvent {}

    /** Immediate ({@code endsAt == canceledAt}) or at the period end ({@code endsAt == currentPeriodEnd}). */
    record Canceled(CancelReason reason, Instant canceledAt, Instant endsAt) implements SubscriptionEvent {}

    /** A scheduled cancel was undone. */
    record Resumed(Instant at) implements SubscriptionEvent {}

    record Expired(SubscriptionStatus previousStatus, Instant expiredAt) implements SubscriptionEvent {}
}
