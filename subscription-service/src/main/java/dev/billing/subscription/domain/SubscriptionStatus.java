package dev.billing.subscription.domain;

import java.util.EnumSet;
import java.util.Set;

/** Stripe-aligned statuses (ARCHITECTURE.md). */
public enum SubscriptionStatus {
    INCOMPLETE,
    INCOMPLETE_EXPIRED,
    TRIALING,
    ACTIVE,
    PAST_DUE,
    CANCELED,
    EXPIRED;

    /** Live: counts as "the user's subscription" (at most one per user). */
    public static final Set<SubscriptionStatus> LIVE = EnumSet.of(INCOMPLETE, TRIALING, ACTIVE, PAST_DUE);

    public boolean isLive() {
        return LIVE.contains(this);
    }

    /** Grants the plan's features (PAST_DUE keeps them during dunning). */
    public boolean isEntitled() {
        return this == TRIALING || this == ACTIVE || this == PAST_DUE;
    }

    public boolean isTerminal() {
        return !isLive();
    }
}
