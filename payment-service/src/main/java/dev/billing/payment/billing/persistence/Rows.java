package dev.billing.payment.billing.persistence;

import java.time.Instant;
import java.util.UUID;

/** The rows of the payment schema, as read. */
public final class Rows {

    private Rows() {}

    public record SubscriptionRow(
            UUID id,
            UUID userId,
            UUID planId,
            String planName,
            int priceVersion,
            long amount,
            String currency,
            String interval,
            int intervalCount,
            String status,
            Instant currentPeriodStart,
            Instant currentPeriodEnd,
            boolean cancelAtPeriodEnd,
            long sourceVersion,
            long billingVersion,
            Instant paidThrough,
            Instant billingAnchor) {}

    public record CustomerRow(
            UUID id, UUID userId, String email, String providerReference, String cardToken, String cardLast4) {}

    public record SessionRow(
            UUID id,
            UUID subscriptionId,
            UUID userId,
            UUID customerId,
            String planName,
            long amount,
            String currency,
            String interval,
            int intervalCount,
            String url,
            String status,
            int attempts,
            UUID invoiceId,
            Instant expiresAt,
            Instant createdAt,
            String mode,
            Instant trialEnd) {

        /** A trial's session: saves the card, charges nothing now. */
        public boolean setupOnly() {
            return "SETUP".equals(mode);
        }
    }

    public record InvoiceRow(
            UUID id,
            String number,
            UUID subscriptionId,
            UUID userId,
            String billingReason,
            Instant periodStart,
            Instant periodEnd,
            String lines,
            long subtotal,
            long total,
            String currency,
            String status,
            int attemptCount,
            Instant nextAttemptAt,
            Instant createdAt,
            Instant paidAt) {}

    public record PaymentRow(
            UUID id,
            UUID invoiceId,
            UUID subscriptionId,
            UUID userId,
            long amount,
            String currency,
            String status,
            int attempt,
            String idempotencyKey,
            String providerReference,
            String failureCode,
            String failureMessage,
            long refundedAmount,
            Instant createdAt) {}

    public record RefundRow(
            UUID id,
            UUID paymentId,
            long amount,
            String currency,
            String reason,
            String idempotencyKey,
            String providerReference,
            Instant createdAt) {}
}
