package dev.billing.subscription.messaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.billing.platform.inbox.InboundEvents;
import dev.billing.subscription.application.Subscriptions;
import dev.billing.subscription.domain.CancelReason;
import dev.billing.subscription.domain.Checkout;
import dev.billing.subscription.domain.FailedCharge;
import dev.billing.subscription.domain.PaidPeriod;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * payment-service's events about a subscription. The inbox drops duplicates; the aggregate's
 * payment version drops events older than one already applied (payment-service's
 * per-subscription {@code aggregateversion}); the state machine ignores stale periods.
 */
@Component
class PaymentListener {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record CheckoutSessionCreated(UUID subscriptionId, String url, Instant expiresAt) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record CheckoutCompleted(UUID subscriptionId, String paymentStatus) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PaymentSucceeded(UUID subscriptionId, UUID invoiceId, Instant periodStart, Instant periodEnd) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PaymentFailed(
            UUID subscriptionId,
            UUID invoiceId,
            long amount,
            String currency,
            Instant periodStart,
            Instant periodEnd,
            int attemptCount,
            Instant nextRetryAt) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ProviderSubscriptionCanceled(UUID subscriptionId, String reason) {

        /**
         * Stripe's reason in our terms: "cancellation_requested" is a cancel made at Stripe (most
         * often the customer in the billing portal); a dispute or no reason is treated as an
         * operator's decision.
         */
        CancelReason cancelReason() {
            return switch (reason == null ? "" : reason) {
                case "PAYMENT_FAILED" -> CancelReason.PAYMENT_FAILED;
                case "CANCELLATION_REQUESTED" -> CancelReason.REQUESTED_BY_USER;
                default -> CancelReason.REQUESTED_BY_ADMIN;
            };
        }
    }

    /** Times as stored (Postgres keeps microseconds), so comparisons with stored periods are exact. */
    static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }

    private final InboundEvents events;
    private final Subscriptions subscriptions;

    PaymentListener(InboundEvents events, Subscriptions subscriptions) {
        this.events = events;
        this.subscriptions = subscriptions;
    }

    @KafkaListener(topics = "checkout-session-created")
    void onCheckoutSessionCreated(ConsumerRecord<String, String> record) {
        events.handle(
                record,
                CheckoutSessionCreated.class,
                (envelope, e) -> subscriptions.checkoutCreated(
                        e.subscriptionId(), envelope.aggregateversion(), new Checkout(e.url(), micros(e.expiresAt()))));
    }

    @KafkaListener(topics = "checkout-completed")
    void onCheckoutCompleted(ConsumerRecord<String, String> record) {
        events.handle(
                record,
                CheckoutCompleted.class,
                (envelope, e) -> subscriptions.checkoutCompleted(e.subscriptionId(), envelope.aggregateversion()));
    }

    @KafkaListener(topics = "payment-succeeded")
    void onPaymentSucceeded(ConsumerRecord<String, String> record) {
        events.handle(
                record,
                PaymentSucceeded.class,
                (envelope, e) -> subscriptions.paymentSucceeded(
                        e.subscriptionId(),
                        envelope.aggregateversion(),
                        new PaidPeriod(e.invoiceId(), micros(e.periodStart()), micros(e.periodEnd()))));
    }

    @KafkaListener(topics = "payment-failed")
    void onPaymentFailed(ConsumerRecord<String, String> record) {
        events.handle(
                record,
                PaymentFailed.class,
                (envelope, e) -> subscriptions.paymentFailed(
                        e.subscriptionId(),
                        envelope.aggregateversion(),
                        new FailedCharge(
                                e.invoiceId(),
                                e.amount(),
                                e.currency(),
                                micros(e.periodStart()),
                                micros(e.periodEnd()),
                                e.attemptCount(),
                                micros(e.nextRetryAt()))));
    }

    @KafkaListener(topics = "provider-subscription-canceled")
    void onProviderSubscriptionCanceled(ConsumerRecord<String, String> record) {
        events.handle(
                record,
                ProviderSubscriptionCanceled.class,
                (envelope, e) -> subscriptions.providerCanceled(
                        e.subscriptionId(), envelope.aggregateversion(), e.cancelReason()));
    }
}
