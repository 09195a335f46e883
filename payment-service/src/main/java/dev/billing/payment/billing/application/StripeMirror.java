package dev.billing.payment.billing.application;

import dev.billing.payment.billing.application.PaymentEvents.CheckoutCompleted;
import dev.billing.payment.billing.application.PaymentEvents.ProviderSubscriptionCanceled;
import dev.billing.payment.billing.application.PaymentEvents.RefundIssued;
import dev.billing.payment.billing.application.ProviderEvent.ChargeRefunded;
import dev.billing.payment.billing.application.ProviderEvent.ProviderCheckoutCompleted;
import dev.billing.payment.billing.application.ProviderEvent.ProviderInvoice;
import dev.billing.payment.billing.application.ProviderEvent.ProviderRefund;
import dev.billing.payment.billing.application.ProviderEvent.ProviderSubscriptionEnded;
import dev.billing.payment.billing.application.ProviderEvent.ProviderSubscriptionState;
import dev.billing.payment.billing.application.ProviderEvents.NotKnownYet;
import dev.billing.payment.billing.application.ProviderEvents.Outcome;
import dev.billing.payment.billing.domain.InvoiceTotals;
import dev.billing.payment.billing.domain.Statuses.BillingReason;
import dev.billing.payment.billing.domain.Statuses.InvoiceStatus;
import dev.billing.payment.billing.domain.Statuses.PaymentStatus;
import dev.billing.payment.billing.domain.Statuses.SessionStatus;
import dev.billing.payment.billing.domain.Times;
import dev.billing.payment.billing.persistence.BillingStore;
import dev.billing.payment.billing.persistence.BillingStore.StripeSubscription;
import dev.billing.payment.billing.persistence.Rows.InvoiceRow;
import dev.billing.payment.billing.persistence.Rows.PaymentRow;
import dev.billing.payment.billing.persistence.Rows.RefundRow;
import dev.billing.payment.billing.persistence.Rows.SessionRow;
import dev.billing.payment.billing.persistence.Rows.SubscriptionRow;
import dev.billing.platform.event.OutboundEvent;
import dev.billing.platform.outbox.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What Stripe reports (by webhook) applied to our records, inside the caller's transaction. Stripe
 * does not order its events, so each handler completes only what is still missing and compares
 * with what is held: a paid invoice stays paid, an older subscription state never overwrites a
 * newer one, a session completes once (whichever of checkout.session.completed and invoice.paid
 * comes first), a refund is recorded once per Stripe refund id.
 */
final class StripeMirror {

    private static final Logger log = LoggerFactory.getLogger(StripeMirror.class);

    private static final Set<String> ENDED = Set.of("CANCELED", "EXPIRED", "INCOMPLETE_EXPIRED");

    /** Stripe's subscription statuses after which nothing changes any more. */
    private static final Set<String> STRIPE_TERMINAL = Set.of("canceled", "incomplete_expired");

    private final BillingStore store;
    private final Outbox outbox;
    private final Clock clock;

    StripeMirror(BillingStore store, Outbox outbox, Clock clock) {
        this.store = store;
        this.outbox = outbox;
        this.clock = clock;
    }

    // ---- checkout.session.completed

    Mono<Outcome> checkoutCompleted(ProviderCheckoutCompleted e) {
        return known(e.subscriptionId()).flatMap(sub -> map(sub, e.providerSubscription(), e.providerCustomer())
                .then(store.lockSessionOfSubscription(sub.id())
                        .flatMap(session -> store.linkSession(session.id(), e.sessionReference(), null)
                                .then(completeSession(session, paymentStatusOf(e.paymentStatus()), null, e.at())))
                        .defaultIfEmpty(Outcome.ALREADY_DONE)));
    }

    /** Completes an open session (→ checkout-completed); "UNPAID" waits for the invoice. */
    private Mono<Outcome> completeSession(SessionRow session, String paymentStatus, UUID invoiceId, Instant at) {
        if (!SessionStatus.OPEN.name().equals(session.status()) || "UNPAID".equals(paymentStatus)) {
            return Mono.just(Outcome.ALREADY_DONE);
        }
        UUID invoice = session.invoiceId() != null ? session.invoiceId() : invoiceId;
        return store.updateSession(session.id(), SessionStatus.COMPLETE.name(), invoice, at)
                .then(emit(
                        session.subscriptionId(),
                        List.of(v -> OutboundEvent.of(
                                "checkout-completed",
                                session.subscriptionId(),
                                v,
                                new CheckoutCompleted(
                                        session.subscriptionId(),
                                        session.userId(),
                                        session.id(),
                                        paymentStatus,
                                        at.toString())))))
                .thenReturn(Outcome.PAID);
    }

    private static String paymentStatusOf(String stripe) {
        return switch (stripe == null ? "" : stripe) {
            case "paid" -> "PAID";
            case "no_payment_required" -> "NO_PAYMENT_REQUIRED";
            default -> "UNPAID";
        };
    }

    // ---- invoices

    Mono<Outcome> invoiceFinalized(ProviderInvoice e) {
        return known(e.subscriptionId()).flatMap(sub -> map(sub, e.providerSubscription(), e.providerCustomer())
                .then(invoiceOf(sub, e))
                .flatMap(invoice -> {
                    if (!InvoiceStatus.DRAFT.name().equals(invoice.status())) {
                        return Mono.just(Outcome.ALREADY_DONE);
                    }
                    return store.updateInvoice(mirrored(invoice, e, InvoiceStatus.OPEN.name(), null))
                            .thenReturn(Outcome.RECORDED);
                }));
    }

    Mono<Outcome> invoicePaid(ProviderInvoice e) {
        return known(e.subscriptionId()).flatMap(sub -> map(sub, e.providerSubscription(), e.providerCustomer())
                .then(invoiceOf(sub, e))
                .flatMap(open -> {
                    if (InvoiceStatus.PAID.name().equals(open.status())) {
                        return Mono.just(Outcome.ALREADY_DONE);
                    }
                    InvoiceRow invoice = ProviderEvents.paid(
                            mirrored(open, e, open.status(), null),
                            e.at(),
                            Math.max(Math.max(open.attemptCount(), e.attemptCount()), 1));
                    boolean charged = invoice.total() > 0;
                    Mono<Outcome> first = e.billingReason() == BillingReason.SUBSCRIPTION_CREATE
                            ? store.lockSessionOfSubscription(sub.id())
                                    .flatMap(session -> store.linkSession(session.id(), null, invoice.id())
                                            .then(completeSession(
                                                    session,
                                                    charged ? "PAID" : "NO_PAYMENT_REQUIRED",
                                                    invoice.id(),
                                                    e.at())))
                                    .defaultIfEmpty(Outcome.ALREADY_DONE)
                            : Mono.just(Outcome.ALREADY_DONE);
                    if (!charged) {
                        // a trial's zero invoice: nothing was paid, no payment event (as the simulated trial)
                        return store.updateInvoice(invoice).then(first).thenReturn(Outcome.RECORDED);
                    }
                    PaymentRow payment = ProviderEvents.payment(
                            invoice,
                            invoice.attemptCount(),
                            "stripe:" + e.reference() + ":paid",
                            PaymentStatus.SUCCEEDED,
                            e.paymentReference(),
                            null,
                            null);
                    return store.updateInvoice(invoice)
                            .then(store.insertPayment(payment, e.at()))
                            .then(first)
                            .then(
                                    e.billingReason() == BillingReason.SUBSCRIPTION_UPDATE
                                            ? Mono.<Void>empty()
                                            : store.setPaidThrough(
                                                    sub.id(), invoice.periodStart(), invoice.periodEnd()))
                            .then(emit(
                                    sub.id(),
                                    List.of(v ->
                                            ProviderEvents.succeeded(invoice, payment, v, e.billingReason(), e.at()))))
                            .thenReturn(Outcome.PAID);
                }));
    }

    Mono<Outcome> invoicePaymentFailed(ProviderInvoice e) {
        return known(e.subscriptionId()).flatMap(sub -> map(sub, e.providerSubscription(), e.providerCustomer())
                .then(invoiceOf(sub, e))
                .flatMap(open -> {
                    if (InvoiceStatus.PAID.name().equals(open.status())
                            || InvoiceStatus.VOID.name().equals(open.status())) {
                        return Mono.just(Outcome.ALREADY_DONE); // a paid invoice stays paid
                    }
                    int attempt = Math.max(e.attemptCount(), 1);
                    boolean newest = attempt >= open.attemptCount();
                    InvoiceRow invoice = newest
                            ? ProviderEvents.withAttempt(
                                    mirrored(open, e, open.status(), e.nextAttemptAt()),
                                    attempt,
                                    e.nextAttemptAt(),
                                    stripeStatus(e.status(), InvoiceStatus.OPEN))
                            : open;
                    PaymentRow payment = ProviderEvents.payment(
                            invoice,
                            attempt,
                            "stripe:" + e.reference() + ":failed:" + attempt,
                            PaymentStatus.FAILED,
                            e.paymentReference(),
                            null,
                            null);
                    return store.insertPayment(payment, e.at()).flatMap(inserted -> {
                        if (!inserted) {
                            return Mono.just(Outcome.ALREADY_DONE);
                        }
                        if (!newest) {
                            // an older attempt arriving late: kept as history, no event
                            return Mono.just(Outcome.RECORDED);
                        }
                        Mono<Void> link = e.billingReason() == BillingReason.SUBSCRIPTION_CREATE
                                ? store.lockSessionOfSubscription(sub.id())
                                        .flatMap(s -> store.linkSession(s.id(), null, invoice.id()))
                                : Mono.empty();
                        return store.updateInvoice(invoice)
                                .then(link)
                                .then(emit(
                                        sub.id(),
                                        List.of(v -> ProviderEvents.failed(
                                                invoice,
                                                payment,
                                                v,
                                                e.billingReason(),
                                                attempt,
                                                Optional.ofNullable(e.nextAttemptAt())))))
                                .thenReturn(Outcome.DECLINED);
                    });
                }));
    }

    /** Our invoice for Stripe's (found by in_...), or a new one mirroring it, locked for this transaction. */
    private Mono<InvoiceRow> invoiceOf(SubscriptionRow sub, ProviderInvoice e) {
        return store.lockInvoiceByReference(e.reference())
                .switchIfEmpty(Mono.defer(() -> store.nextInvoiceNumber().flatMap(number -> {
                    InvoiceTotals totals = InvoiceTotals.of(e.lines());
                    InvoiceRow row = new InvoiceRow(
                            UUID.randomUUID(),
                            number,
                            sub.id(),
                            sub.userId(),
                            e.billingReason().name(),
                            e.periodStart(),
                            e.periodEnd(),
                            InvoiceLines.toJson(e.lines()),
                            totals.subtotal(),
                            totals.total(),
                            e.currency(),
                            // what Stripe holds (a draft is not mirrored as open until finalized)
                            "draft".equals(e.status()) ? InvoiceStatus.DRAFT.name() : InvoiceStatus.OPEN.name(),
                            0,
                            null,
                            e.at(),
                            null);
                    return store.insertInvoice(row).flatMap(inserted -> {
                        if (!inserted) {
                            return Mono.error(new IllegalStateException("invoice " + e.reference()
                                    + " collides with an invoice of the same subscription and period"));
                        }
                        return store.setInvoiceReference(row.id(), e.reference())
                                .then(store.lockInvoiceByReference(e.reference()));
                    });
                })));
    }

    /** The invoice with Stripe's lines, period and totals (the status and schedule given). */
    private static InvoiceRow mirrored(InvoiceRow i, ProviderInvoice e, String status, Instant next) {
        InvoiceTotals totals = InvoiceTotals.of(e.lines());
        return new InvoiceRow(
                i.id(),
                i.number(),
                i.subscriptionId(),
                i.userId(),
                i.billingReason(),
                e.periodStart(),
                e.periodEnd(),
                InvoiceLines.toJson(e.lines()),
                totals.subtotal(),
                totals.total(),
                i.currency(),
                status,
                i.attemptCount(),
                next,
                i.createdAt(),
                i.paidAt());
    }

    private static InvoiceStatus stripeStatus(String stripe, InvoiceStatus otherwise) {
        return switch (stripe == null ? "" : stripe) {
            case "uncollectible" -> InvoiceStatus.UNCOLLECTIBLE;
            case "void" -> InvoiceStatus.VOID;
            case "open" -> InvoiceStatus.OPEN;
            default -> otherwise;
        };
    }

    // ---- subscriptions

    Mono<Outcome> subscriptionState(ProviderSubscriptionState e) {
        return store.lockStripeSubscription(e.subscriptionId())
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(held -> {
                    if (held.map(h -> h.status() != null && STRIPE_TERMINAL.contains(h.status()))
                            .orElse(false)) {
                        return Mono.just(Outcome.ALREADY_DONE); // nothing follows an ended subscription
                    }
                    return store.applyStripeSubscriptionState(state(e), Times.now(clock))
                            .map(applied -> applied ? Outcome.RECORDED : Outcome.ALREADY_DONE);
                });
    }

    Mono<Outcome> subscriptionEnded(ProviderSubscriptionEnded e) {
        ProviderSubscriptionState s = e.state();
        return known(s.subscriptionId()).flatMap(sub -> store.lockStripeSubscription(sub.id())
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(held -> {
                    boolean reported =
                            held.map(StripeSubscription::endedReported).orElse(false);
                    Mono<Void> record = store.endStripeSubscription(state(s), Times.now(clock));
                    if (reported) {
                        return record.thenReturn(Outcome.ALREADY_DONE);
                    }
                    if (ENDED.contains(sub.status())) {
                        log.info("Stripe ended subscription {}, which already ended here ({})", sub.id(), sub.status());
                        return record.thenReturn(Outcome.RECORDED);
                    }
                    return record.then(emit(
                                    sub.id(),
                                    List.of(v -> OutboundEvent.of(
                                            "provider-subscription-canceled",
                                            sub.id(),
                                            v,
                                            new ProviderSubscriptionCanceled(
                                                    sub.id(),
                                                    sub.userId(),
                                                    e.reason(),
                                                    e.canceledAt().toString())))))
                            .thenReturn(Outcome.RECORDED);
                }));
    }

    private static StripeSubscription state(ProviderSubscriptionState e) {
        return new StripeSubscription(
                e.subscriptionId(),
                e.providerSubscription(),
                e.providerCustomer(),
                e.status(),
                e.cancelAtPeriodEnd(),
                e.periodStart(),
                e.periodEnd(),
                e.asOf(),
                false);
    }

    // ---- refunds

    Mono<Outcome> chargeRefunded(ChargeRefunded e) {
        return store.lockPaymentByReference(e.paymentReferences())
                .switchIfEmpty(Mono.error(() -> new NotKnownYet(
                        "no payment with reference " + e.paymentReferences() + " (its invoice.paid may come later)")))
                .flatMap(payment -> Flux.fromIterable(e.refunds())
                        .filter(r -> "succeeded".equals(r.status()) || "pending".equals(r.status()))
                        .concatMap(r -> refund(payment, r))
                        .reduce(0, Integer::sum)
                        .map(n -> n > 0 ? Outcome.RECORDED : Outcome.ALREADY_DONE));
    }

    /** Records one Stripe refund unless known (our refund API may have recorded it first); 1 when recorded. */
    private Mono<Integer> refund(PaymentRow p, ProviderRefund r) {
        return store.refundByReference(r.reference()).map(known -> 0).switchIfEmpty(Mono.defer(() -> {
            UUID id = UUID.randomUUID();
            RefundRow row = new RefundRow(
                    id, p.id(), r.amount(), p.currency(), r.reason(), "stripe:" + r.reference(), r.reference(), r.at());
            return store.insertRefund(row)
                    .then(store.addRefunded(p.id(), r.amount()))
                    .then(emit(
                            p.subscriptionId(),
                            List.of(v -> OutboundEvent.of(
                                    "refund-issued",
                                    p.subscriptionId(),
                                    v,
                                    new RefundIssued(
                                            p.subscriptionId(),
                                            p.userId(),
                                            id,
                                            p.id(),
                                            p.invoiceId(),
                                            r.amount(),
                                            p.currency(),
                                            r.reason(),
                                            r.at().toString())))))
                    .thenReturn(1);
        }));
    }

    // ---- shared

    /** Our subscription; a report about one we do not know yet fails, to be retried. */
    private Mono<SubscriptionRow> known(UUID subscriptionId) {
        return store.subscription(subscriptionId)
                .switchIfEmpty(
                        Mono.error(() -> new NotKnownYet("subscription " + subscriptionId + " is not known yet")));
    }

    /** Records Stripe's ids of the subscription and of the customer, once known. */
    private Mono<Void> map(SubscriptionRow sub, String stripeSubscription, String stripeCustomer) {
        Instant now = Times.now(clock);
        Mono<Void> mapping = stripeSubscription == null || stripeCustomer == null
                ? Mono.empty()
                : store.mapStripeSubscription(sub.id(), stripeSubscription, stripeCustomer, now);
        Mono<Void> customer = stripeCustomer == null
                ? Mono.empty()
                : store.customerOfUser(sub.userId())
                        .filter(c -> !stripeCustomer.equals(c.providerReference()))
                        .flatMap(c -> store.setCustomerReference(c.id(), stripeCustomer, now));
        return mapping.then(customer);
    }

    /** Records events in order, each with the next value of the subscription's billing counter. */
    private Mono<Void> emit(UUID subscriptionId, List<LongFunction<OutboundEvent>> events) {
        List<LongFunction<OutboundEvent>> copy = new ArrayList<>(events);
        return Flux.fromIterable(copy)
                .concatMap(make -> store.nextBillingVersion(subscriptionId).flatMap(v -> outbox.record(make.apply(v))))
                .then();
    }
}
