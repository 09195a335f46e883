package dev.billing.subscription.domain;

import java.time.Instant;
import java.util.UUID;

/** A failed charge for [periodStart, periodEnd) (from payment-failed); no retry when nextRetryAt is null. */
public record FailedCharge(
        UUID invoiceId,
        long amount,
        String currency,
        Instant periodStart,
        Instant periodEnd,
        int attemptCount,
        Instant nextRetryAt) {}
