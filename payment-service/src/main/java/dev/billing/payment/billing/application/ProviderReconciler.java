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
import dev.billing.payment.billing.persistence.ProviderCallStore.CallRow;
import dev.billing.payment.billing.persistence.Rows.CustomerRow;
import dev.billing.payment.billing.persistence.Rows.SubscriptionRow;
import dev.billing.payment.config.ReconcilerProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Finishes provider writes whose outcome was unknown (a timeout, the provider unavailable). For
 * each due UNKNOWN call (claimed with {@code FOR UPDATE SKIP LOCKED} and leased, so replicas share
 * the work) it asks the provider what exists first: the customer by our user id, the checkout by
 * our session id. Found: the use case is completed as if the call had answered (the customer
 * recorded and the subscription's checkout made; the session recorded and
 * {@code checkout-session-created} emitted). Not found: the call is re-issued with the same
 * idempotency key and parameters. Subscription changes set a target state (cancel at period end,
 * resume, price), so they are re-issued under their key. Still unknown: checked again later
 * (doubling delay); refused: FAILED.
 */
@Service
public class ProviderReconciler {

    private static final Logger log = LoggerFactory.getLogger(ProviderReconciler.class);
    private static final Set<String> AWAITING_CHECKOUT = Set.of("INCOMPLETE", "TRIALING");

    private final ProviderCallStore calls;
    private final ProviderCalls providerCalls;
    private final BillingStore store;
    private final Subscriptions subscriptions;
    private final Billing billing;
    private final PaymentProvider provider;
    private final TransactionalOperator tx;
    private final Clock clock;
    private final ReconcilerProperties props;
    private final AtomicBoolean passRunning = new AtomicBoolean();

    ProviderReconciler(
            ProviderCallStore calls,
            ProviderCalls providerCalls,
            BillingStore store,
            Subscriptions subscriptions,
            Billing billing,
            PaymentProvider provider,
            TransactionalOperator tx,
            Clock clock,
            ReconcilerProperties props) {
        this.calls = calls;
        this.providerCalls = providerCalls;
        this.store = store;
        this.subscriptions = subscriptions;
        this.billing = billing;
        this.provider = provider;
        this.tx = tx;
        this.clock = clock;
        this.props = props;
    }

    @Scheduled(
            fixedDelayString = "${payment.reconciler.interval:30s}",
            initialDelayString = "${payment.reconciler.interval:30s}")
    void scheduled() {
        if (!props.enabled() || !passRunning.compareAndSet(false, true)) {
            return;
        }
        Mono.defer(this::runOnce)
                .timeout(Duration.ofMinutes(5))
                .doFinally(signal -> passRunning.set(false))
                .subscribe(done -> {}, e -> log.warn("reconciler pass failed", e));
    }

    /** One pass: returns how many calls were settled (succeeded or found at the provider). */
    public Mono<Integer> runOnce() {
        Instant now = Times.now(clock);
        return tx.transactional(calls.claimDue(now, now.plus(props.lease()), props.batchSize())
                        .collectList())
                .flatMapMany(Flux::fromIterable)
                .concatMap(call -> reconcile(call).onErrorResume(e -> {
                    log.warn("reconciling {} failed", call.idempotencyKey(), e);
                    return Mono.just(false);
                }))
                .filter(Boolean::booleanValue)
                .count()
                .map(Long::intValue);
    }

    private Mono<Boolean> reconcile(CallRow call) {
        Mono<Boolean> settled =
                switch (call.operation()) {
                    case "CUSTOMER" -> customer(call);
                    case "CHECKOUT" -> checkout(call);
                    case "SUBSCRIPTION_UPDATE" -> update(call);
                    case "REFUND" -> refund(call);
                    default -> Mono.just(false);
                };
        return settled.onErrorResume(OutcomeUnknown.class, e -> calls.unknown(
                                call.idempotencyKey(),
                                e.getMessage(),
                                providerCalls.nextCheck(call.attempts()),
                                Times.now(clock))
                        .thenReturn(false))
                .onErrorResume(
                        Rejected.class, e -> calls.failed(call.idempotencyKey(), e.getMessage(), Times.now(clock))
                                .thenReturn(false));
    }

    private Mono<Boolean> customer(CallRow call) {
        String email = call.request();
        return provider.findCustomer(call.userId())
                .switchIfEmpty(Mono.defer(() -> provider.createCustomer(call.userId(), email, call.idempotencyKey())))
                .flatMap(ref -> providerCalls.recordCustomer(call.idempotencyKey(), call.userId(), email, ref))
                .flatMap(customer -> call.subscriptionId() == null
                        ? Mono.just(true)
                        : store.subscription(call.subscriptionId())
                                .filter(this::awaitingCheckout)
                                .flatMap(sub -> continueCheckout(sub, customer))
                                .defaultIfEmpty(true));
    }

    /** The customer is there now: the subscription's checkout, as subscription-created would have made it. */
    private Mono<Boolean> continueCheckout(SubscriptionRow sub, CustomerRow customer) {
        Instant now = Times.now(clock);
        return providerCalls
                .checkout(sub.id(), sub.userId(), customer, priceOf(sub), trialEnd(sub), now)
                .flatMap(started -> tx.transactional(subscriptions.recordCheckout(
                                sub.id(), customer, started.sessionId(), started.checkout(), now))
                        .thenReturn(true))
                .defaultIfEmpty(true);
    }

    private Mono<Boolean> checkout(CallRow call) {
        return store.subscription(call.subscriptionId())
                .zipWith(store.customerOfUser(call.userId()))
                .flatMap(t -> {
                    SubscriptionRow sub = t.getT1();
                    CustomerRow customer = t.getT2();
                    CheckoutRequest request = new CheckoutRequest(
                            call.sessionId(),
                            sub.id(),
                            sub.userId(),
                            customer.providerReference(),
                            priceOf(sub),
                            trialEnd(sub),
                            call.expiresAt(),
                            call.idempotencyKey());
                    Mono<Checkout> truth = provider.findCheckout(request)
                            .switchIfEmpty(Mono.defer(() -> awaitingCheckout(sub)
                                    ? provider.createCheckout(request)
                                    : Mono.error(new Rejected(
                                            "subscription " + sub.id() + " is " + sub.status()
                                                    + ": no checkout any more",
                                            null))));
                    return truth.flatMap(checkout -> {
                        Instant now = Times.now(clock);
                        return tx.transactional(calls.succeeded(
                                                call.idempotencyKey(), checkout.reference(), checkout.url(), now)
                                        .then(
                                                awaitingCheckout(sub)
                                                        ? subscriptions.recordCheckout(
                                                                sub.id(), customer, call.sessionId(), checkout, now)
                                                        : Mono.empty()))
                                .thenReturn(true);
                    });
                })
                .defaultIfEmpty(false);
    }

    private Mono<Boolean> update(CallRow call) {
        SubscriptionUpdate update = ProviderCalls.JSON.readValue(call.request(), SubscriptionUpdate.class);
        return provider.updateSubscription(update)
                .then(calls.succeeded(call.idempotencyKey(), null, null, Times.now(clock)))
                .thenReturn(true);
    }

    /**
     * A refund without an answer: re-issued under its key (Stripe answers a repeated key with the
     * refund it made, so this both asks and completes), then recorded with {@code refund-issued}.
     */
    private Mono<Boolean> refund(CallRow call) {
        PaymentProvider.RefundRequest request =
                ProviderCalls.JSON.readValue(call.request(), PaymentProvider.RefundRequest.class);
        return provider.refund(request)
                .flatMap(ref -> store.refundByKey(call.idempotencyKey())
                        .flatMap(row -> billing.completeRefund(row, ref))
                        .then(calls.succeeded(call.idempotencyKey(), ref, null, Times.now(clock))))
                .thenReturn(true);
    }

    private boolean awaitingCheckout(SubscriptionRow sub) {
        return AWAITING_CHECKOUT.contains(sub.status()) && sub.amount() > 0;
    }

    private static Instant trialEnd(SubscriptionRow sub) {
        return "TRIALING".equals(sub.status()) ? sub.currentPeriodEnd() : null;
    }

    private static PlanPrice priceOf(SubscriptionRow s) {
        return new PlanPrice(
                s.planId(), s.priceVersion(), s.planName(), s.amount(), s.currency(), s.interval(), s.intervalCount());
    }
}
