package dev.billing.payment.billing.application;

import java.util.UUID;
import reactor.core.publisher.Mono;

/**
 * The port to whoever moves the money: the built-in simulated provider today, Stripe next. Every
 * write carries an idempotency key derived from our own ids, so a retried call has one effect at
 * the provider. Nothing outside the provider's package knows which implementation runs; the
 * provider reports completed checkouts back through {@link ProviderEvents} (the same path a Stripe
 * webhook takes).
 */
public interface PaymentProvider {

    /** A customer at the provider for one of our users; key {@code customer:<userId>}. */
    Mono<String> createCustomer(UUID userId, String email, String idempotencyKey);

    /** A hosted checkout for a session; returns the URL where the user pays. Key {@code checkout:<sessionId>}. */
    Mono<String> createCheckout(CheckoutRequest request);

    /** An off-session charge of the customer's saved payment method (renewals, dunning retries). */
    Mono<ChargeResult> charge(ChargeRequest request);

    /** Saves a new payment method for the customer (e.g. after a card change). */
    Mono<SavedCard> saveCard(String customerReference, String card);

    /** Returns money of an earlier charge. */
    Mono<String> refund(RefundRequest request);

    /**
     * Whether this service's renewal job charges at period end (simulated), or the provider bills
     * renewals itself and reports them as events (Stripe Billing).
     */
    boolean renewalsChargedByUs();

    record CheckoutRequest(
            UUID sessionId,
            UUID subscriptionId,
            String customerReference,
            String planName,
            long amount,
            String currency,
            String idempotencyKey) {}

    record ChargeRequest(
            String idempotencyKey,
            String customerReference,
            String paymentMethod,
            long amount,
            String currency,
            String description) {}

    /** What a charge ended as; {@code reference} is the provider's id of the charge. */
    record ChargeResult(
            dev.billing.payment.billing.domain.Statuses.PaymentStatus status,
            String reference,
            String failureCode,
            String failureMessage) {}

    record SavedCard(String paymentMethod, String last4) {}

    record RefundRequest(String idempotencyKey, String chargeReference, long amount, String currency, String reason) {}

    /** The card cannot be used (not a card the provider accepts): 400 at the edge. */
    final class InvalidCard extends RuntimeException {
        public InvalidCard(String message) {
            super(message);
        }
    }
}
