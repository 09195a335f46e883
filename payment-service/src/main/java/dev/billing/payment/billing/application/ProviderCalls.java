package dev.billing.payment.billing.application;

import dev.billing.payment.billing.application.PaymentProvider.Checkout;
import dev.billing.payment.billing.application.PaymentProvider.CheckoutRequest;
import dev.billing.payment.billing.application.PaymentProvider.OutcomeUnknown;
import dev.billing.payment.billing.application.PaymentProvider.PlanPrice;
import dev.billing.payment.billing.application.PaymentProvider.Rejected;
import dev.billing.payment.billing.application.PaymentProvider.SubscriptionUpdate;
import dev.billing.payment.billing.domain.Times;
import dev.billing.payment.billing.persistence.BillingStore;
import dev.billing.payment.billing.persistence.ProviderCallStore;
import dev.billing.payment.billing.persistence.Rows.CustomerRow;
import dev.billing.payment.config.PaymentProperties;
import dev.billing.payment.config.ReconcilerProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Provider writes with a recorded outcome ({@code provider_calls}, one row per idempotency key):
 * recorded PENDING before the call, then SUCCEEDED, FAILED (refused: logged, kept with the
 * provider's message) or UNKNOWN (timed out / unavailable: never retried here; the
 * {@link ProviderReconciler} asks the provider at the row's next check). None of these run inside
 * a database transaction: each statement commits on its own, so a network call holds no locks.
 */
@Service
public class ProviderCalls {

    private static final Logger log = LoggerFactory.getLogger(ProviderCalls.class);
    static final JsonMapper JSON = JsonMapper.builder().build();

    static final String PENDING = "PENDING";
    static final String SUCCEEDED = "SUCCEEDED";
    static final String UNKNOWN = "UNKNOWN";

    /** A checkout made at the provider for our session id. */
    public record Started(UUID sessionId, Checkout checkout) {}

    private final ProviderCallStore calls;
    private final BillingStore store;
    private final PaymentProvider provider;
    private final Clock clock;
    private final ReconcilerProperties props;
    private final Duration checkoutTtl;

    ProviderCalls(
            ProviderCallStore calls,
            BillingStore store,
            PaymentProvider provider,
            Clock clock,
            ReconcilerProperties props,
            PaymentProperties payment) {
        this.calls = calls;
        this.store = store;
        this.provider = provider;
        this.clock = clock;
        this.props = props;
        this.checkoutTtl = payment.checkoutTtl();
    }

    static boolean providerFailure(Throwable e) {
        return e instanceof OutcomeUnknown || e instanceof Rejected;
    }

    /**
     * The user's customer: the one held, or a new one at the provider (key {@code customer:<userId>},
     * the email kept with the call so a re-issue sends the same parameters). Empty while a call's
     * outcome is unknown or when the provider refused it.
     */
    Mono<CustomerRow> customer(UUID userId, UUID subscriptionId, String email, Instant now) {
        return store.customerOfUser(userId).switchIfEmpty(Mono.defer(() -> {
            String key = "customer:" + userId;
            return calls.begin(key, "CUSTOMER", userId, subscriptionId, email, now)
                    .filter(call -> !UNKNOWN.equals(call.status()))
                    .flatMap(call -> SUCCEEDED.equals(call.status()) && call.resultId() != null
                            ? store.ensureCustomer(userId, email, call.resultId(), now)
                            : send(key, provider.createCustomer(userId, email, key))
                                    .flatMap(ref -> recordCustomer(key, userId, email, ref)));
        }));
    }

    Mono<CustomerRow> recordCustomer(String key, UUID userId, String email, String reference) {
        Instant now = Times.now(clock);
        return store.ensureCustomer(userId, email, reference, now)
                .flatMap(c -> calls.succeeded(key, reference, null, now).thenReturn(c));
    }

    /**
     * The subscription's checkout at the provider: the one recorded, or a new one under
     * {@code checkout:<sessionId>} (session id and expiry chosen once and kept). Empty while the
     * outcome is unknown or when the provider refused it.
     */
    Mono<Started> checkout(
            UUID subscriptionId, UUID userId, CustomerRow customer, PlanPrice price, Instant trialEnd, Instant now) {
        Instant expiresAt = now.plus(checkoutTtl);
        return calls.beginCheckout(subscriptionId, userId, UUID.randomUUID(), expiresAt, now)
                .filter(call -> !UNKNOWN.equals(call.status()))
                .flatMap(call -> {
                    if (SUCCEEDED.equals(call.status())) {
                        return Mono.just(new Started(
                                call.sessionId(), new Checkout(call.resultId(), call.resultUrl(), call.expiresAt())));
                    }
                    CheckoutRequest request = new CheckoutRequest(
                            call.sessionId(),
                            subscriptionId,
                            userId,
                            customer.providerReference(),
                            price,
                            trialEnd,
                            call.expiresAt(),
                            call.idempotencyKey());
                    return send(call.idempotencyKey(), provider.createCheckout(request))
                            .flatMap(checkout -> calls.succeeded(
                                            call.idempotencyKey(),
                                            checkout.reference(),
                                            checkout.url(),
                                            Times.now(clock))
                                    .thenReturn(new Started(call.sessionId(), checkout)));
                });
    }

    /** A subscription change at the provider, once per key (a redelivery of a done change calls nothing). */
    Mono<Void> update(SubscriptionUpdate update, UUID userId, Instant now) {
        String key = update.idempotencyKey();
        return calls.begin(
                        key,
                        "SUBSCRIPTION_UPDATE",
                        userId,
                        update.subscriptionId(),
                        JSON.writeValueAsString(update),
                        now)
                .filter(call -> PENDING.equals(call.status()))
                .flatMap(call -> send(key, provider.updateSubscription(update).thenReturn(true)))
                .flatMap(done -> calls.succeeded(key, null, null, Times.now(clock)));
    }

    /** A refund the provider did not answer: left for the reconciler, which re-issues it under its key. */
    Mono<Void> recordUnknownRefund(
            PaymentProvider.RefundRequest request, UUID userId, UUID subscriptionId, Throwable e, Instant now) {
        String key = request.idempotencyKey();
        return calls.begin(key, "REFUND", userId, subscriptionId, JSON.writeValueAsString(request), now)
                .then(calls.unknown(key, e.getMessage(), now.plus(props.firstCheck()), now));
    }

    /** Runs a provider write; its failure is recorded against the key and the result is empty. */
    <T> Mono<T> send(String key, Mono<T> call) {
        return call.onErrorResume(OutcomeUnknown.class, e -> {
                    Instant now = Times.now(clock);
                    log.warn(
                            "provider call {} has an unknown outcome, left for the reconciler: {}",
                            key,
                            e.getMessage());
                    return calls.unknown(key, e.getMessage(), now.plus(props.firstCheck()), now)
                            .then(Mono.empty());
                })
                .onErrorResume(Rejected.class, e -> {
                    log.warn("provider refused {}: {}", key, e.getMessage());
                    return calls.failed(key, e.getMessage(), Times.now(clock)).then(Mono.empty());
                });
    }

    /** When an UNKNOWN call is checked again after {@code attempts} checks: doubling, at most an hour. */
    Instant nextCheck(int attempts) {
        Duration delay = props.firstCheck().multipliedBy(1L << Math.min(attempts, 10));
        return Times.now(clock).plus(delay.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : delay);
    }
}
