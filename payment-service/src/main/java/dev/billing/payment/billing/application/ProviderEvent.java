package dev.billing.payment.billing.application;

import dev.billing.payment.billing.domain.InvoiceLine;
import dev.billing.payment.billing.domain.Statuses.BillingReason;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a provider reports about money that moved (or did not). The simulated checkout page and the
 * renewal job produce these directly; the Stripe webhook processor maps Stripe's events to the
 * {@code Provider*} / {@code Invoice*} ones below (Stripe's ids, Stripe's periods and amounts). Each
 * is idempotent and order-independent: it completes only what is still missing.
 */
public sealed interface ProviderEvent {

    /** The checkout of a session was paid with a payment method that is saved for renewals. */
    record CheckoutPaid(
            UUID sessionId,
            String chargeKey,
            String chargeReference,
            String paymentMethod,
            String cardLast4,
            Instant at)
            implements ProviderEvent {}

    /** A setup-only checkout (a trial) saved a payment method; nothing was charged. */
    record CheckoutSetUp(UUID sessionId, String paymentMethod, String cardLast4, Instant at) implements ProviderEvent {}

    /** A checkout payment attempt was declined; the session stays open for another try. */
    record CheckoutDeclined(
            UUID sessionId,
            String chargeKey,
            String chargeReference,
            String failureCode,
            String failureMessage,
            Instant at)
            implements ProviderEvent {}

    /** A renewal charge (our payment row, already PENDING) succeeded. */
    record RenewalPaid(UUID paymentId, String chargeReference, Instant at) implements ProviderEvent {}

    /** A renewal charge failed; dunning decides what follows. */
    record RenewalFailed(UUID paymentId, String chargeReference, String failureCode, String failureMessage, Instant at)
            implements ProviderEvent {}

    /** A Stripe Checkout Session (subscription mode) completed; paymentStatus as Stripe says (paid, unpaid, no_payment_required). */
    record ProviderCheckoutCompleted(
            UUID subscriptionId,
            String sessionReference,
            String providerSubscription,
            String providerCustomer,
            String paymentStatus,
            Instant at)
            implements ProviderEvent {}

    /** A Stripe invoice of one of our subscriptions, as the event carries it. */
    record ProviderInvoice(
            UUID subscriptionId,
            String reference,
            String providerSubscription,
            String providerCustomer,
            BillingReason billingReason,
            String status,
            Instant periodStart,
            Instant periodEnd,
            List<InvoiceLine> lines,
            String currency,
            int attemptCount,
            Instant nextAttemptAt,
            String paymentReference,
            Instant at) {}

    /** invoice.finalized: mirrored OPEN, no event. */
    record InvoiceFinalized(ProviderInvoice invoice) implements ProviderEvent {}

    /** invoice.paid / invoice.payment_succeeded: one effect for both. */
    record InvoicePaid(ProviderInvoice invoice) implements ProviderEvent {}

    /** invoice.payment_failed. */
    record InvoicePaymentFailed(ProviderInvoice invoice) implements ProviderEvent {}

    /** Stripe's state of a subscription (customer.subscription.created/updated), as of the event's time. */
    record ProviderSubscriptionState(
            UUID subscriptionId,
            String providerSubscription,
            String providerCustomer,
            String status,
            boolean cancelAtPeriodEnd,
            Instant periodStart,
            Instant periodEnd,
            Instant asOf)
            implements ProviderEvent {}

    /** customer.subscription.deleted: Stripe ended it; reason as in provider-subscription-canceled. */
    record ProviderSubscriptionEnded(ProviderSubscriptionState state, String reason, Instant canceledAt)
            implements ProviderEvent {}

    /** charge.refunded: the charge (its ids) and every refund Stripe holds for it. */
    record ChargeRefunded(List<String> paymentReferences, List<ProviderRefund> refunds) implements ProviderEvent {}

    /** One Stripe refund (re_...); reason as in refund-issued. */
    record ProviderRefund(String reference, long amount, String currency, String reason, String status, Instant at) {}
}
