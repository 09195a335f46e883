package dev.billing.payment.billing.application;

import java.time.Instant;
import java.util.UUID;
import reactor.core.publisher.Mono;

/**
 * The port to whoever moves the money: the built-in simulated provider or Stripe. Every write
 * carries an idempotency key derived from our own ids, so a retried call has one effect at the
 * provider. Nothing outside the provider's package knows which implementation runs; the provider
 * reports completed checkouts back through {@link ProviderEvents} (the same path a Stripe webhook
 * takes).
 *
 * <p>Failures: {@link OutcomeUnknown} (timed out, unavailable: the write may or may not have
 * happened; callers record it for the reconciler and never retry it blindly), {@link Rejected}
 * (the provider refused it for good), {@link NotSupported} (this provider does not do that).
 */
public interface PaymentProvider {

    /** A customer at the provider for one of our users; key {@code customer:<userId>}. */
    Mono<String> createCustomer(UUID userId, String email, String idempotencyKey);

    /** The customer a {@link #createCustomer} with an unknown outcome made, if any. */
    Mono<String> findCustomer(UUID userId);

    /** A hosted checkout for a session. Key {@code checkout:<sessionId>}. */
    Mono<Checkout> createCheckout(CheckoutRequest request);

    /** The checkout a {@link #createCheckout} with an unknown outcome made, if any. */
    Mono<Checkout> findCheckout(CheckoutRequest request);

    /** A plan's price version is published: the provider's product and price (no-op when not needed). */
    Mono<Void> publishPrice(PlanPrice price);

    /** A plan is archived: no new sign-ups at the provider (existing subscribers keep their price). */
    Mono<Void> archivePlan(UUID planId);

    /** Applies a cancel / resume / plan change to the provider's subscription, when it has one. */
    Mono<Void> updateSubscription(SubscriptionUpdate update);

    /** An off-session charge of the customer's saved payment method (renewals, dunning retries). */
    Mono<ChargeResult> charge(ChargeRequest request);

    /** Saves a new payment method for the customer (e.g. after a card change). */
    Mono<SavedCard> saveCard(String customerReference, String card);

    /** Returns money of an earlier charge. */
    Mono<String> refund(RefundRequest request);

    /** A page where the customer manages cards, invoices and cancellation; returns its URL. */
    Mono<String> billingPortal(String customerReference);

    /**
     * Whether this service's renewal job charges at period end (simulated), or the provider bills
     * renewals (and proration) itself and reports them as events (Stripe Billing).
     */
    boolean renewalsChargedByUs();

    record CheckoutRequest(
            UUID sessionId,
            UUID subscriptionId,
            UUID userId,
            String customerReference,
            PlanPrice price,
            Instant trialEnd,
            Instant expiresAt,
            String idempotencyKey) {}

    /** What a hosted checkout is at the provider: its id, where the user pays, until when. */
    record Checkout(String reference, String url, Instant expiresAt) {}

    /** One price version of a plan (amount in minor units, interval MONTH/YEAR/...). */
    record PlanPrice(
            UUID planId,
            int priceVersion,
            String planName,
            long amount,
            String currency,
            String interval,
            int intervalCount) {}

    enum UpdateKind {
        CANCEL_NOW,
        CANCEL_AT_PERIOD_END,
        RESUME,
        CHANGE_PLAN
    }

    /**
     * @param price the new price (CHANGE_PLAN only)
     * @param prorate CHANGE_PLAN: charge the difference now (an upgrade) rather than from the next period
     */
    record SubscriptionUpdate(
            UUID subscriptionId, UpdateKind kind, PlanPrice price, boolean prorate, String idempotencyKey) {}

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

    /** The write may or may not have happened (timeout, provider unavailable): check before retrying. */
    final class OutcomeUnknown extends RuntimeException {
        public OutcomeUnknown(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The provider refused the request for good (a 4xx): retrying the same request cannot help. */
    final class Rejected extends RuntimeException {
        public Rejected(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** This provider does not offer the operation (e.g. a billing portal without Stripe): 409 at the edge. */
    final class NotSupported extends RuntimeException {
        public NotSupported(String message) {
            super(message);
        }
    }
}
