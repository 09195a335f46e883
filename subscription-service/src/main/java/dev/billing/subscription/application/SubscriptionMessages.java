package dev.billing.subscription.application;

import dev.billing.platform.event.OutboundEvent;
import dev.billing.subscription.domain.Entitlement;
import dev.billing.subscription.domain.Subscription;
import dev.billing.subscription.domain.SubscriptionEvent;
import dev.billing.subscription.domain.SubscriptionEvent.Activated;
import dev.billing.subscription.domain.SubscriptionEvent.Canceled;
import dev.billing.subscription.domain.SubscriptionEvent.Created;
import dev.billing.subscription.domain.SubscriptionEvent.Expired;
import dev.billing.subscription.domain.SubscriptionEvent.PastDue;
import dev.billing.subscription.domain.SubscriptionEvent.PlanChangeScheduled;
import dev.billing.subscription.domain.SubscriptionEvent.PlanChanged;
import dev.billing.subscription.domain.SubscriptionEvent.Renewed;
import dev.billing.subscription.domain.SubscriptionEvent.Resumed;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Domain events as the messages of contracts/events/subscription-*.v1.schema.json. Every
 * {@code subscription-*} message carries the subscription's state after the command; the
 * aggregate version is the subscription's. A domain event without a topic (a scheduled downgrade)
 * publishes only entitlements-changed.
 */
final class SubscriptionMessages {

    static final String CREATED = "subscription-created";
    static final String ACTIVATED = "subscription-activated";
    static final String RENEWED = "subscription-renewed";
    static final String PLAN_CHANGED = "subscription-plan-changed";
    static final String PAST_DUE = "subscription-past-due";
    static final String CANCELED = "subscription-canceled";
    static final String RESUMED = "subscription-resumed";
    static final String EXPIRED = "subscription-expired";
    static final String ENTITLEMENTS_CHANGED = "entitlements-changed";

    private SubscriptionMessages() {}

    record CreatedData(
            UUID subscriptionId,
            UUID userId,
            UUID planId,
            String planName,
            String status,
            Instant currentPeriodStart,
            Instant currentPeriodEnd,
            boolean cancelAtPeriodEnd,
            int priceVersion,
            long amount,
            String currency,
            String interval,
            int intervalCount,
            String userEmail) {}

    record ActivatedData(
            UUID subscriptionId,
            UUID userId,
            UUID planId,
            String planName,
            String status,
            Instant currentPeriodStart,
            Instant currentPeriodEnd,
            boolean cancelAtPeriodEnd,
            String previousStatus,
            Instant activatedAt) {}

    record RenewedData(
            UUID subscriptionId,
            UUID userId,
            UUID planId,
            String planName,
            String status,
            Instant currentPeriodStart,
            Instant currentPeriodEnd,
            boolean cancelAtPeriodEnd,
            String previousStatus,
            Instant previousPeriodEnd,
            UUID invoiceId) {}

    record PlanChangedData(
            UUID subscriptionId,
            UUID userId,
            UUID planId,
            String planName,
            String status,
            Instant currentPeriodStart,
            Instant currentPeriodEnd,
            boolean cancelAtPeriodEnd,
            int priceVersion,
            long amount,
            String currency,
            String interval,
            int intervalCount,
            UUID previousPlanId,
            int previousPriceVersion,
            boolean proration,
            long prorationCredit,
            long prorationCharge,
            Instant effectiveAt) {}

    record PastDueData(
            UUID subscriptionId,
            UUID userId,
            UUID planId,
            String planName,
            String status,
            Instant currentPeriodStart,
            Instant currentPeriodEnd,
            boolean cancelAtPeriodEnd,
            UUID invoiceId,
            long amount,
            String currency,
            int attemptCount,
            Instant nextRetryAt) {}

    record CanceledData(
            UUID subscriptionId,
            UUID userId,
            UUID planId,
            String planName,
            String status,
            Instant currentPeriodStart,
            Instant currentPeriodEnd,
            boolean cancelAtPeriodEnd,
            String reason,
            Instant canceledAt,
            Instant endsAt) {}

    record ResumedData(
            UUID subscriptionId,
            UUID userId,
            UUID planId,
            String planName,
            String status,
            Instant currentPeriodStart,
            Instant currentPeriodEnd,
            boolean cancelAtPeriodEnd,
            Instant resumedAt) {}

    record ExpiredData(
            UUID subscriptionId,
            UUID userId,
            UUID planId,
            String planName,
            String status,
            Instant currentPeriodStart,
            Instant currentPeriodEnd,
            boolean cancelAtPeriodEnd,
            String previousStatus,
            Instant expiredAt) {}

    record EntitlementsChangedData(
            UUID userId,
            UUID subscriptionId,
            UUID planId,
            String status,
            Map<String, Object> features,
            Instant validUntil) {}

    static Optional<OutboundEvent> of(Subscription s, SubscriptionEvent event) {
        var p = s.plan();
        return switch (event) {
            case Created c ->
                message(
                        CREATED,
                        s,
                        new CreatedData(
                                s.id(),
                                s.userId(),
                                p.planId(),
                                p.name(),
                                s.status().name(),
                                s.currentPeriodStart(),
                                s.currentPeriodEnd(),
                                s.cancelAtPeriodEnd(),
                                p.priceVersion(),
                                p.amount(),
                                p.currency(),
                                p.interval().name(),
                                p.intervalCount(),
                                s.userEmail()));
            case Activated a ->
                message(
                        ACTIVATED,
                        s,
                        new ActivatedData(
                                s.id(),
                                s.userId(),
                                p.planId(),
                                p.name(),
                                s.status().name(),
                                s.currentPeriodStart(),
                                s.currentPeriodEnd(),
                                s.cancelAtPeriodEnd(),
                                a.previousStatus().name(),
                                a.activatedAt()));
            case Renewed r ->
                message(
                        RENEWED,
                        s,
                        new RenewedData(
                                s.id(),
                                s.userId(),
                                p.planId(),
                                p.name(),
                                s.status().name(),
                                s.currentPeriodStart(),
                                s.currentPeriodEnd(),
                                s.cancelAtPeriodEnd(),
                                r.previousStatus().name(),
                                r.previousPeriodEnd(),
                                r.invoiceId()));
            case PlanChanged c ->
                message(
                        PLAN_CHANGED,
                        s,
                        new PlanChangedData(
                                s.id(),
                                s.userId(),
                                p.planId(),
                                p.name(),
                                s.status().name(),
                                s.currentPeriodStart(),
                                s.currentPeriodEnd(),
                                s.cancelAtPeriodEnd(),
                                p.priceVersion(),
                                p.amount(),
                                p.currency(),
                                p.interval().name(),
                                p.intervalCount(),
                                c.previousPlan().planId(),
                                c.previousPlan().priceVersion(),
                                c.proration(),
                                c.prorationCredit(),
                                c.prorationCharge(),
                                c.effectiveAt()));
            case PastDue d ->
                message(
                        PAST_DUE,
                        s,
                        new PastDueData(
                                s.id(),
                                s.userId(),
                                p.planId(),
                                p.name(),
                                s.status().name(),
                                s.currentPeriodStart(),
                                s.currentPeriodEnd(),
                                s.cancelAtPeriodEnd(),
                                d.invoiceId(),
                                d.amount(),
                                d.currency(),
                                d.attemptCount(),
                                d.nextRetryAt()));
            case Canceled c ->
                message(
                        CANCELED,
                        s,
                        new CanceledData(
                                s.id(),
                                s.userId(),
                                p.planId(),
                                p.name(),
                                s.status().name(),
                                s.currentPeriodStart(),
                                s.currentPeriodEnd(),
                                s.cancelAtPeriodEnd(),
                                c.reason().name(),
                                c.canceledAt(),
                                c.endsAt()));
            case Expired e ->
                message(
                        EXPIRED,
                        s,
                        new ExpiredData(
                                s.id(),
                                s.userId(),
                                p.planId(),
                                p.name(),
                                s.status().name(),
                                s.currentPeriodStart(),
                                s.currentPeriodEnd(),
                                s.cancelAtPeriodEnd(),
                                e.previousStatus().name(),
                                e.expiredAt()));
            case PlanChangeScheduled ignored -> Optional.empty();
            case Resumed r ->
                message(
                        RESUMED,
                        s,
                        new ResumedData(
                                s.id(),
                                s.userId(),
                                p.planId(),
                                p.name(),
                                s.status().name(),
                                s.currentPeriodStart(),
                                s.currentPeriodEnd(),
                                s.cancelAtPeriodEnd(),
                                r.at()));
        };
    }

    static OutboundEvent entitlementsChanged(Entitlement e, long version) {
        return OutboundEvent.of(
                ENTITLEMENTS_CHANGED,
                e.userId(),
                version,
                new EntitlementsChangedData(
                        e.userId(), e.subscriptionId(), e.planId(), e.status(), e.features(), e.validUntil()));
    }

    private static Optional<OutboundEvent> message(String type, Subscription s, Object data) {
        return Optional.of(OutboundEvent.of(type, s.id(), s.version(), data));
    }
}
