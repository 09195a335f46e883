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
import dev.billing.payment.billing.persistence.Rows.InvoiceRow;
import dev.billing.payment.billing.persistence.Rows.SessionRow;
import dev.billing.payment.billing.persistence.Rows.SubscriptionRow;
import dev.billing.payment.config.PaymentProperties;
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
 * a checkout session. Each method runs inside the inbox transaction of the event that triggered it.
 */
@Service
public class Subscriptions {

    private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);

    private final BillingStore store;
    private final Outbox outbox;
    private final PaymentProvider provider;
    private final Clock clock;
    private final PaymentProperties props;

    Subscriptions(BillingStore store, Outbox outbox, PaymentProvider provider, Clock clock, PaymentProperties props) {
        this.store = store;
        this.outbox = outbox;
        this.provider = provider;
        this.clock = clock;
        this.props = props;
    }

    public Mono<Void> planPublished(PlanState plan) {
        return store.upsertPlan(plan).then();
    }

    public Mono<Void> planArchived(UUID planId) {
        return store.archivePlan(planId).then();
    }

    /**
     * A new subscription: remembered for billing; INCOMPLETE with a price gets a checkout session
     * (once, whatever the deliveries). A TRIALING one with a price gets a setup-only checkout that
     * saves the card (nothing charged now) and is billed by the renewal job at trial end (paid
     * through = trial end).
     */
    public Mono<Void> created(SubscriptionState s, String email) {
        Instant now = dev.billing.payment.billing.domain.Times.now(clock);
        boolean trial = "TRIALING".equals(s.status()) && s.amount() > 0;
        Instant paidThrough = trial ? s.currentPeriodEnd() : null;
        return store.insertSubscription(s, paidThrough, now).flatMap(inserted -> {
            if (!inserted) {
                log.debug("subscription {} already known; no second checkout", s.id());
                return Mono.empty();
            }
            if (!trial && (!"INCOMPLETE".equals(s.status()) || s.amount() <= 0)) {
                return Mono.empty();
            }
            return ensureCustomer(s.userId(), email, now).flatMap(customer -> {
                UUID sessionId = UUID.randomUUID();
                Instant expiresAt = now.plus(props.checkoutTtl());
                return provider.createCheckout(new PaymentProvider.CheckoutRequest(
                                sessionId,
                                s.id(),
                                customer.providerReference(),
                                s.planName(),
                                s.amount(),
                                s.currency(),
                                "checkout:" + sessionId))
                        .flatMap(url -> store.insertSession(new SessionRow(
                                        sessionId,
                                        s.id(),
                                        s.userId(),
                                        customer.id(),
                                        s.planName(),
                                        s.amount(),
                                        s.currency(),
                                        s.interval(),
                                        s.intervalCount(),
                                        url,
                                        SessionStatus.OPEN.name(),
                                        0,
                                        null,
                                        expiresAt,
                                        now,
                                        trial ? "SETUP" : "PAYMENT",
                                        trial ? s.currentPeriodEnd() : null))
                                .filter(Boolean::booleanValue)
                                .flatMap(ok -> store.nextBillingVersion(s.id()))
                                .flatMap(v -> outbox.record(OutboundEvent.of(
                                        "checkout-session-created",
                                        s.id(),
                                        v,
                                        new CheckoutSessionCreated(
                                                s.id(), s.userId(), sessionId, url, expiresAt.toString())))))
                        .then();
            });
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

    private Mono<dev.billing.payment.billing.persistence.Rows.CustomerRow> ensureCustomer(
            UUID userId, String email, Instant now) {
        return store.customerOfUser(userId)
                .switchIfEmpty(Mono.defer(() -> provider.createCustomer(userId, email, "customer:" + userId)
                        .flatMap(ref -> store.ensureCustomer(userId, email, ref, now))));
    }
}
