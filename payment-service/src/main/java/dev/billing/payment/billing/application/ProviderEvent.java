package dev.billing.payment.billing.application;

import java.time.Instant;
import java.util.UUID;

/**
 * What a provider reports about money that moved (or did not). The simulated checkout page and the
 * renewal job produce these directly; the Stripe webhook will map {@code checkout.session.completed},
 * {@code invoice.paid} and {@code invoice.payment_failed} to the same records.
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
}
