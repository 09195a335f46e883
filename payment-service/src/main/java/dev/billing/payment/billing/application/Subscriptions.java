package dev.billing.payment.billing.application;

import dev.billing.payment.billing.application.PaymentEvents.CheckoutSessionCreated;
import dev.billing.payment.billing.domain.InvoiceLine;
import dev.billing.payment.billing.domain.InvoiceTotals;
import dev.billing.payment.billing.domain.Statuses.BillingReason;
import dev.billing.payment.billing.domain.Statuses.InvoiceStatus;
import dev.billing.payment.billing.domain.Statuses.SessionStatus;
import dev.billing.payment.billing.domain.Times;
import dev.billing.payment.billing.persistence.BillingStore;
import dev.billing.payment.billing.persistence.BillingStore.PlanState;
import dev.billing.payment.billing.persistence.BillingStore.SubscriptionState;
import dev.billing.payment.billing.persistence.Rows.CustomerRow;
import dev.billing.payment.billing.persistence.Rows.InvoiceRow;
import dev.billing.payment.billing.persistence.Rows.SessionRow;
import dev.billing.payment.billing.persistence.Rows.SubscriptionRow;
import dev.billing.platform.event.OutboundEvent;
import dev.billing.platform.outbox.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * The read models (plans, subscriptions we bill) and what a new subscription starts: a customer and
 * a checkout session. The provider is called first, outside any transaction ({@code prepare*},
 * {@code publishPrice}, {@code updateAtProvider}); the other methods run inside the inbox
 * transaction of the event that triggered them.
 */
@Service
public class Subscriptions {

    private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);

    private final BillingStore store;
    private final Outbox outbox;
    private final PaymentProvider provider;
    private final Clock clock;
    private final ProviderCalls calls;

    Subscriptions(BillingStore store, Outbox outbox, PaymentProvider provider, Clock clock, ProviderCalls calls) {
        this.store = store;
        this.outbox = outbox;
        this.provider = provider;
        this.clock = clock;
        this.calls = calls;
    }

    public Mono<Void> planPublished(PlanState plan) {
        return store.upsertPlan(plan).then();
    }

    public Mono<Void> planArchived(UUID planId) {
        return store.archivePlan(planId).then();
    }

    /**
     * Before plan-published's transaction: the provider's product and price for a newer price
     * version. A failure is logged and not retried here: a checkout creates a missing price itself.
     */
    public Mono<Void> publishPrice(PlanState plan) {
        return store.planVersion(plan.id())
                .map(held -> held < plan.version())
                .defaultIfEmpty(true)
                .filter(Boolean::booleanValue)
                .flatMap(newer -> provider.publishPrice(new PaymentProvider.PlanPrice(
                        plan.id(),
                        plan.priceVersion(),
                        plan.name(),
                        plan.amount(),
                        plan.currency(),
                        plan.interval(),
                        plan.intervalCount())))
                .onErrorResume(ProviderCalls::providerFailure, e -> {
                    log.warn(
                            "price of plan {} v{} not published at the provider: {}",
                            plan.id(),
                            plan.priceVersion(),
                            e.getMessage());
                    return Mono.empty();
                });
    }

    /** Before plan-archived's transaction: no new sign-ups at the provider (logged on failure). */
    public Mono<Void> archiveAtProvider(UUID planId) {
        return provider.archivePlan(planId).onErrorResume(ProviderCalls::providerFailure, e -> {
            log.warn("plan {} not archived at the provider: {}", planId, e.getMessage());
            return Mono.empty();
        });
    }

    /**
     * What the provider made for a new subscription before its transaction: the customer and the
     * hosted checkout. Empty fields when nothing is needed (free, active, known already) or when a
     * call's outcome is unknown (the reconciler finishes it) or refused (recorded FAILED).
     */
    public record Prepared(CustomerRow customer, UUID sessionId, PaymentProvider.Checkout checkout) {
        static final Prepared NONE = new Prepared(null, null, null);
    }

    /**
     * Step 1 of subscription-created, outside any transaction (network calls hold none): the
     * provider's customer (once per user) and checkout (once per subscription, its session id and
     * expiry kept in {@code provider_calls}, so a redelivery sends the same idempotency key).
     */
    public Mono<Prepared> prepareCreated(SubscriptionState s, String email) {
        if (!needsCheckout(s)) {
            return Mono.just(Prepared.NONE);
        }
        Instant now = Times.now(clock);
        return store.subscription(s.id()).map(known -> Prepared.NONE).switchIfEmpty(Mono.defer(() -> calls.customer(
                        s.userId(), s.id(), email, now)
                .flatMap(customer -> calls.checkout(
                                s.id(), s.userId(), customer, priceOf(s), trial(s) ? s.currentPeriodEnd() : null, now)
                        .map(started -> new Prepared(customer, started.sessionId(), started.checkout())))
                .defaultIfEmpty(Prepared.NONE)));
    }

    /**
     * Step 2, inside the inbox transaction: the subscription remembered for billing and, when the
     * provider made a checkout, the session → {@code checkout-session-created}. A trial's session is
     * setup-only here (the simulated page saves the card; Stripe starts the subscription with
     * {@code trial_end}) and the renewal job, or Stripe, bills at trial end (paid through = trial end).
     */
    public Mono<Void> created(SubscriptionState s, Prepared prepared) {
        Instant now = Times.now(clock);
        Instant paidThrough = trial(s) ? s.currentPeriodEnd() : null;
        return store.insertSubscription(s, paidThrough, now)
                .switchIfEmpty(
                        Mono.fromRunnable(() -> log.debug("subscription {} already known; no second checkout", s.id())))
                .filter(inserted -> prepared.checkout() != null)
                .flatMap(inserted ->
                        recordCheckout(inserted, prepared.customer(), prepared.sessionId(), prepared.checkout(), now));
    }

    /** The session row and {@code checkout-session-created}, once per subscription (callers own the tx). */
    Mono<Void> recordCheckout(
            UUID subscriptionId, CustomerRow customer, UUID sessionId, PaymentProvider.Checkout checkout, Instant now) {
        return store.subscription(subscriptionId)
                .flatMap(sub -> recordCheckout(sub, customer, sessionId, checkout, now));
    }

    private Mono<Void> recordCheckout(
            SubscriptionRow sub, CustomerRow customer, UUID sessionId, PaymentProvider.Checkout checkout, Instant now) {
        boolean trial = "TRIALING".equals(sub.status()) && sub.amount() > 0;
        return store.insertSession(new SessionRow(
                        sessionId,
                        sub.id(),
                        sub.userId(),
                        customer.id(),
                        sub.planName(),
                        sub.amount(),
                        sub.currency(),
                        sub.interval(),
                        sub.intervalCount(),
                        checkout.url(),
                        SessionStatus.OPEN.name(),
                        0,
                        null,
                        checkout.expiresAt(),
                        now,
                        trial ? "SETUP" : "PAYMENT",
                        trial ? sub.currentPeriodEnd() : null))
                .filter(Boolean::booleanValue)
                .flatMap(ok -> checkout.reference() == null
                        ? Mono.just(ok)
                        : store.setSessionReference(sessionId, checkout.reference())
                                .thenReturn(ok))
                .flatMap(ok -> store.nextBillingVersion(sub.id()))
                .flatMap(v -> outbox.record(OutboundEvent.of(
                        "checkout-session-created",
                        sub.id(),
                        v,
                        new CheckoutSessionCreated(
                                sub.id(),
                                sub.userId(),
                                sessionId,
                                checkout.url(),
                                checkout.expiresAt().toString()))))
                .then();
    }

    /**
     * Before a cancel / resume / plan change's transaction: the same change at the provider's
     * subscription (Stripe's, once its checkout completed), key {@code <kind>:<subscriptionId>:<version>}
     * so a redelivered event sends the same key. A stale event (not above the version held) and one
     * for a subscription not known yet call nothing. An unknown outcome is left to the reconciler, a
     * refusal recorded FAILED and logged; the event is applied to our read model either way.
     */
    public Mono<Void> updateAtProvider(SubscriptionState s, PaymentProvider.UpdateKind kind, boolean prorate) {
        Instant now = Times.now(clock);
        return store.subscription(s.id())
                .filter(held -> held.sourceVersion() < s.sourceVersion())
                .flatMap(held -> {
                    String key = kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ":" + s.id() + ":"
                            + s.sourceVersion();
                    var update = new PaymentProvider.SubscriptionUpdate(
                            s.id(),
                            kind,
                            kind == PaymentProvider.UpdateKind.CHANGE_PLAN ? priceOf(s) : null,
                            prorate,
                            key);
                    return calls.update(update, held.userId(), now);
                });
    }

    /** What subscription-service computed for an upgrade at once (0 and 0 without proration). */
    public record Proration(boolean prorate, long credit, long charge, Instant effectiveAt) {}

    /**
     * A plan change: the new price applies from the next renewal. With proration, an invoice
     * (billing reason SUBSCRIPTION_UPDATE) for {@code charge - credit} is opened, due now; the
     * renewal job charges it on the saved card with the same dunning as a renewal. A net credit is
     * not invoiced (no credit balance yet).
     */
    public Mono<Void> planChanged(SubscriptionState s, Proration proration) {
        Instant now = Times.now(clock);
        return store.subscription(s.id())
                .flatMap(before -> store.updateSubscription(s, now)
                        .filter(applied -> applied
                                && proration.prorate()
                                && provider.renewalsChargedByUs()
                                && proration.effectiveAt() != null
                                && proration.charge() > proration.credit()
                                && before.paidThrough() != null
                                && proration.effectiveAt().isBefore(before.paidThrough()))
                        .flatMap(applied -> prorationInvoice(s, before, proration, now)))
                .then();
    }

    private Mono<Boolean> prorationInvoice(SubscriptionState s, SubscriptionRow before, Proration p, Instant now) {
        Instant from = p.effectiveAt().truncatedTo(ChronoUnit.MICROS);
        Instant to = before.paidThrough();
        List<InvoiceLine> lines = List.of(
                InvoiceLine.remainingTime(s.planName(), p.charge(), from, to),
                InvoiceLine.unusedTime(before.planName(), p.credit(), from, to));
        InvoiceTotals totals = InvoiceTotals.of(lines);
        return store.nextInvoiceNumber()
                .flatMap(number -> store.insertInvoice(new InvoiceRow(
                        UUID.randomUUID(),
                        number,
                        s.id(),
                        before.userId(),
                        BillingReason.SUBSCRIPTION_UPDATE.name(),
                        from,
                        to,
                        InvoiceLines.toJson(lines),
                        totals.subtotal(),
                        totals.total(),
                        before.currency(),
                        InvoiceStatus.OPEN.name(),
                        0,
                        now,
                        now,
                        null)));
    }

    /** A cancel: at period end the renewal job skips it; at once its open invoices and checkout die. */
    public Mono<Void> canceled(SubscriptionState s) {
        Instant now = Times.now(clock);
        return store.updateSubscription(s, now).flatMap(applied -> {
            if (!applied) {
                // canceled before its subscription-created arrived (another topic): remember it, so
                // the late creation (an older version) opens no checkout
                return "CANCELED".equals(s.status())
                        ? store.insertSubscription(placeholder(s), null, now).then()
                        : Mono.<Void>empty();
            }
            if (!"CANCELED".equals(s.status())) {
                return Mono.<Void>empty();
            }
            return store.voidOpenInvoices(s.id()).then(store.expireOpenSessions(s.id()));
        });
    }

    /**
     * A scheduled cancel undone (subscription-resumed): the read model's cancel flag is cleared, so
     * the renewal job bills the subscription again when its paid period ends. A stale event (not
     * above the version held) changes nothing; one arriving before subscription-created is dropped
     * (as a cancel at period end is).
     */
    public Mono<Void> resumed(SubscriptionState s) {
        return store.updateSubscription(s, Times.now(clock))
                .doOnNext(applied -> {
                    if (!applied) {
                        log.debug("stale or unknown subscription-resumed for {} dropped", s.id());
                    }
                })
                .then();
    }

    private static SubscriptionState placeholder(SubscriptionState s) {
        return new SubscriptionState(
                s.id(),
                s.userId(),
                s.planId(),
                s.planName(),
                0,
                0L,
                "XXX",
                "MONTH",
                1,
                s.status(),
                s.currentPeriodStart(),
                s.currentPeriodEnd(),
                s.cancelAtPeriodEnd(),
                s.sourceVersion());
    }

    private static boolean trial(SubscriptionState s) {
        return "TRIALING".equals(s.status()) && s.amount() != null && s.amount() > 0;
    }

    /** INCOMPLETE with a price pays at a checkout; TRIALING with a price saves a card there. */
    private static boolean needsCheckout(SubscriptionState s) {
        return trial(s) || ("INCOMPLETE".equals(s.status()) && s.amount() != null && s.amount() > 0);
    }

    static PaymentProvider.PlanPrice priceOf(SubscriptionState s) {
        return new PaymentProvider.PlanPrice(
                s.planId(),
                s.priceVersion(),
                s.planName(),
                s.amount(),
                s.currency(),
                s.interval(),
                s.intervalCount() == null ? 1 : s.intervalCount());
    }
}
