package dev.billing.subscription.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * What a user may use now (entitlements-changed, GET /api/v1/entitlements/me). {@code status} is
 * the live subscription's status or {@code NONE}; features only while entitled; {@code validUntil}
 * is the period (or trial) end plus {@code grace} — exactly the end when the subscription is set
 * to cancel, the later of the period end and the next dunning retry while PAST_DUE, null for a
 * free plan and for NONE.
 */
public record Entitlement(
        UUID userId,
        UUID subscriptionId,
        UUID planId,
        String status,
        Map<String, Object> features,
        Instant validUntil) {

    public static final String NONE = "NONE";

    public static Entitlement none(UUID userId) {
        return new Entitlement(userId, null, null, NONE, Map.of(), null);
    }

    public static Entitlement of(Subscription s, Duration grace) {
        if (!s.status().isLive()) {
            return none(s.userId());
        }
        if (!s.status().isEntitled()) {
            return new Entitlement(
                    s.userId(), s.id(), s.plan().planId(), s.status().name(), Map.of(), null);
        }
        Instant end = s.currentPeriodEnd();
        if (s.status() == SubscriptionStatus.PAST_DUE
                && s.dunningUntil() != null
                && (end == null || s.dunningUntil().isAfter(end))) {
            end = s.dunningUntil();
        }
        Instant validUntil = end == null ? null : s.cancelAtPeriodEnd() ? end : end.plus(grace);
        return new Entitlement(
                s.userId(),
                s.id(),
                s.plan().planId(),
                s.status().name(),
                s.plan().features(),
                validUntil);
    }
}
