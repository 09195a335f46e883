package dev.billing.subscription.domain;

import java.time.Instant;
import java.util.UUID;

/** A successful payment for [periodStart, periodEnd) (from payment-succeeded). */
public record PaidPeriod(UUID invoiceId, Instant periodStart, Instant periodEnd) {}
