package dev.billing.payment.billing.application;

import java.util.UUID;

/** The data of the events this service produces, field for field as in contracts/. Times as RFC 3339 UTC. */
final class PaymentEvents {

    private PaymentEvents() {}

    record CheckoutSessionCreated(
            UUID subscriptionId, UUID userId, UUID checkoutSessionId, String url, String expiresAt) {}

    record CheckoutCompleted(
            UUID subscriptionId, UUID userId, UUID checkoutSessionId, String paymentStatus, String completedAt) {}

    record PaymentSucceeded(
            UUID subscriptionId,
            UUID userId,
            UUID invoiceId,
            UUID paymentId,
            long amount,
            String currency,
            String periodStart,
            String periodEnd,
            String billingReason,
            String paidAt) {}

    record PaymentFailed(
            UUID subscriptionId,
            UUID userId,
            UUID invoiceId,
            UUID paymentId,
            long amount,
            String currency,
            String periodStart,
            String periodEnd,
            String billingReason,
            int attemptCount,
            String failureCode,
            String failureMessage,
            String nextRetryAt) {}

    record RefundIssued(
            UUID subscriptionId,
            UUID userId,
            UUID refundId,
            UUID paymentId,
            UUID invoiceId,
            long amount,
            String currency,
            String reason,
            String refundedAt) {}

    record ProviderSubscriptionCanceled(UUID subscriptionId, UUID userId, String reason, String canceledAt) {}
}
