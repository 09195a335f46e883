package dev.billing.payment.billing.application;

import dev.billing.payment.billing.application.PaymentEvents.CheckoutCompleted;
import dev.billing.payment.billing.application.PaymentEvents.PaymentFailed;
import dev.billing.payment.billing.application.PaymentEvents.PaymentSucceeded;
import dev.billing.payment.billing.application.ProviderEvent.CheckoutDeclined;
import dev.billing.payment.billing.application.ProviderEvent.CheckoutPaid;
import dev.billing.payment.billing.application.ProviderEvent.RenewalFailed;
import dev.billing.payment.billing.application.ProviderEvent.RenewalPaid;
import dev.billing.payment.billing.domain.BillingInterval;
import dev.billing.payment.billing.domain.DunningSchedule;
import dev.billing.payment.billing.domain.InvoiceLine;
import dev.billing.payment.billing.domain.InvoiceTotals;
import dev.billing.payment.billing.domain.Statuses.BillingReason;
import dev.billing.payment.billing.domain.Statuses.InvoiceStatus;
import dev.billing.payment.billing.domain.Statuses.PaymentStatus;
import dev.billing.payment.billing.domain.Statuses.SessionStatus;
import dev.billing.payment.billing.persistence.BillingStore;
import dev.billing.payment.billing.persistence.Rows.InvoiceRow;
import dev.billing.payment.billing.persistence.Rows.PaymentRow;
import dev.billing.payment.billing.persistence.Rows.SessionRow;
import dev.billing.platform.event.OutboundEvent;
import dev.billing.platform.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The one place where what a provider reports becomes invoices, payments and events: the
 * simulated checkout page and renewal job call it today, the Stripe webhook will tomorrow. Each
 * event is applied in one transaction with its outbox rows, and a repeated report has no second
 * effect (the session or payment is no longer open).
 */
@Service
public class ProviderEvents {

    /** What applying a report did. */
    public enum Outcome {
        PAID,
        DECLINED,
        /** Mirrored a provider's state (an invoice, a subscription's status, a refund) without a payment outcome. */
        RECORDED,
        ALREADY_DONE
    }

    /**
     * The report is about a subscription this service does not know yet (its subscription-created
     * has not arrived): retried later by the caller, never dropped.
     */
    public static final class NotKnownYet extends RuntimeException {
        public NotKnownYet(String message) {
            super(message);
        }
    }

    private final BillingStore store;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final DunningSchedule dunning;

    private final MeterRegistry meters;
    private final StripeMirror stripe;

    ProviderEvents(
            BillingStore store,
            Outbox outbox,
            TransactionalOperator tx,
            DunningSchedule dunning,
            MeterRegistry meters,
            java.time.Clock clock) {
        this.store = store;
        this.outbox = outbox;
        this.tx = tx;
        this.dunning = dunning;
        this.meters = meters;
        this.stripe = new StripeMirror(store, outbox, clock);
    }

    public Mono<Outcome> apply(ProviderEvent event) {
        Mono<Outcome> effect =
                switch (event) {
                    case CheckoutPaid paid -> checkoutPaid(paid);
                    case CheckoutDeclined declined -> checkoutDeclined(declined);
                    case ProviderEvent.CheckoutSetUp setUp -> checkoutSetUp(setUp);
                    case RenewalPaid paid -> renewalPaid(paid);
                    case RenewalFailed failed -> renewalFailed(failed);
                    case ProviderEvent.ProviderCheckoutCompleted completed -> stripe.checkoutCompleted(completed);
                    case ProviderEvent.InvoiceFinalized finalized -> stripe.invoiceFinalized(finalized.invoice());
                    case ProviderEvent.InvoicePaid paid -> stripe.invoicePaid(paid.invoice());
                    case ProviderEvent.InvoicePaymentFailed failed -> stripe.invoicePaymentFailed(failed.invoice());
                    case ProviderEvent.ProviderSubscriptionState state -> stripe.subscriptionState(state);
                    case ProviderEvent.ProviderSubscriptionEnded ended -> stripe.subscriptionEnded(ended);
                    case ProviderEvent.ChargeRefunded refunded -> stripe.chargeRefunded(refunded);
                };
        return tx.transactional(effect).doOnNext(outcome -> meters.counter(
                        "payment_provider_events_total",
                        "event",
                        event.getClass().getSimpleName(),
                        "outcome",
                        outcome.name())
                .increment());
    }

    private Mono<Outcome> checkoutPaid(CheckoutPaid e) {
        return store.lockSession(e.sessionId()).flatMap(session -> {
            if (!SessionStatus.OPEN.name().equals(session.status())) {
                return Mono.just(Outcome.ALREADY_DONE);
            }
            Instant start = e.at();
            Instant end = BillingInterval.valueOf(session.interval()).periodEnd(start, session.intervalCount());
            return firstInvoice(session, start, end, e.at()).flatMap(open -> {
                InvoiceRow invoice = paid(open, e.at(), open.attemptCount() + 1);
                PaymentRow payment = payment(
                        invoice,
                        invoice.attemptCount(),
                        e.chargeKey(),
                        PaymentStatus.SUCCEEDED,
                        e.chargeReference(),
                        null,
                        null);
                return store.updateInvoice(invoice)
                        .then(store.insertPayment(payment, e.at()))
                        .then(store.customer(session.customerId()))
                        .flatMap(c -> store.saveCard(c.id(), e.paymentMethod(), e.cardLast4(), e.at()))
                        .then(store.updateSession(session.id(), SessionStatus.COMPLETE.name(), invoice.id(), e.at()))
                        .then(store.setPaidThrough(session.subscriptionId(), start, end))
                        .then(store.nextBillingVersion(session.subscriptionId()))
                        .flatMap(v -> outbox.record(List.of(
                                OutboundEvent.of(
                                        "checkout-completed",
                                        session.subscriptionId(),
                                        v,
                                        new CheckoutCompleted(
                                                session.subscriptionId(),
                                                session.userId(),
                                                session.id(),
                                                "PAID",
                                                e.at().toString())),
                                succeeded(invoice, payment, v + 1, BillingReason.SUBSCRIPTION_CREATE, e.at()))))
                        .then(store.nextBillingVersion(session.subscriptionId()))
                        .thenReturn(Outcome.PAID);
            });
        });
    }

    private Mono<Outcome> checkoutSetUp(ProviderEvent.CheckoutSetUp e) {
        return store.lockSession(e.sessionId()).flatMap(session -> {
            if (!SessionStatus.OPEN.name().equals(session.status())) {
                return Mono.just(Outcome.ALREADY_DONE);
            }
            return store.customer(session.customerId())
                    .flatMap(c -> store.saveCard(c.id(), e.paymentMethod(), e.cardLast4(), e.at()))
                    .then(store.updateSession(session.id(), SessionStatus.COMPLETE.name(), null, e.at()))
                    .then(store.nextBillingVersion(session.subscriptionId()))
                    .flatMap(v -> outbox.record(OutboundEvent.of(
                            "checkout-completed",
                            session.subscriptionId(),
                            v,
                            new CheckoutCompleted(
                                    session.subscriptionId(),
                                    session.userId(),
                                    session.id(),
                                    "NO_PAYMENT_REQUIRED",
                                    e.at().toString()))))
                    .thenReturn(Outcome.PAID);
        });
    }

    private Mono<Outcome> checkoutDeclined(CheckoutDeclined e) {
        return store.lockSession(e.sessionId()).flatMap(session -> {
            if (!SessionStatus.OPEN.name().equals(session.status())) {
                return Mono.just(Outcome.ALREADY_DONE);
            }
            Instant start = e.at();
            Instant end = BillingInterval.valueOf(session.interval()).periodEnd(start, session.intervalCount());
            return firstInvoice(session, start, end, e.at()).flatMap(open -> {
                int attempt = open.attemptCount() + 1;
                InvoiceRow invoice = withAttempt(open, attempt, null, InvoiceStatus.OPEN);
                PaymentRow payment = payment(
                        invoice,
                        attempt,
                        e.chargeKey(),
                        PaymentStatus.FAILED,
                        e.chargeReference(),
                        e.failureCode(),
                        e.failureMessage());
                return store.insertPayment(payment, e.at()).flatMap(inserted -> {
                    if (!inserted) {
                        return Mono.just(Outcome.ALREADY_DONE);
                    }
                    return store.updateInvoice(invoice)
                            .then(store.updateSession(session.id(), SessionStatus.OPEN.name(), invoice.id(), null))
                            .then(store.nextBillingVersion(session.subscriptionId()))
                            .flatMap(v -> outbox.record(failed(
                                    invoice, payment, v, BillingReason.SUBSCRIPTION_CREATE, attempt, Optional.empty())))
                            .thenReturn(Outcome.DECLINED);
                });
            });
        });
    }

    private Mono<Outcome> renewalPaid(RenewalPaid e) {
        return store.lockPayment(e.paymentId()).flatMap(p -> {
            if (!isOpen(p)) {
                return Mono.just(Outcome.ALREADY_DONE);
            }
            return store.invoice(p.invoiceId()).flatMap(open -> {
                InvoiceRow invoice = paid(open, e.at(), p.attempt());
                PaymentRow payment = withResult(p, PaymentStatus.SUCCEEDED, e.chargeReference(), null, null);
                return store.updatePayment(
                                p.id(), PaymentStatus.SUCCEEDED.name(), e.chargeReference(), null, null, e.at())
                        .then(store.updateInvoice(invoice))
                        .then(
                                BillingReason.SUBSCRIPTION_CYCLE.name().equals(invoice.billingReason())
                                        ? store.setPaidThrough(
                                                invoice.subscriptionId(), invoice.periodStart(), invoice.periodEnd())
                                        : Mono.empty())
                        .then(store.nextBillingVersion(invoice.subscriptionId()))
                        .flatMap(v -> outbox.record(
                                succeeded(invoice, payment, v, BillingReason.valueOf(invoice.billingReason()), e.at())))
                        .thenReturn(Outcome.PAID);
            });
        });
    }

    private Mono<Outcome> renewalFailed(RenewalFailed e) {
        return store.lockPayment(e.paymentId()).flatMap(p -> {
            if (!isOpen(p)) {
                return Mono.just(Outcome.ALREADY_DONE);
            }
            return store.invoice(p.invoiceId()).flatMap(open -> {
                Optional<Instant> next = dunning.nextRetryAt(p.attempt(), open.periodStart(), e.at());
                InvoiceRow invoice = withAttempt(
                        open,
                        p.attempt(),
                        next.orElse(null),
                        next.isPresent() ? InvoiceStatus.OPEN : InvoiceStatus.UNCOLLECTIBLE);
                PaymentRow payment =
                        withResult(p, PaymentStatus.FAILED, e.chargeReference(), e.failureCode(), e.failureMessage());
                return store.updatePayment(
                                p.id(),
                                PaymentStatus.FAILED.name(),
                                e.chargeReference(),
                                e.failureCode(),
                                e.failureMessage(),
                                e.at())
                        .then(store.updateInvoice(invoice))
                        .then(store.nextBillingVersion(invoice.subscriptionId()))
                        .flatMap(v -> outbox.record(failed(
                                invoice,
                                payment,
                                v,
                                BillingReason.valueOf(invoice.billingReason()),
                                p.attempt(),
                                next)))
                        .thenReturn(Outcome.DECLINED);
            });
        });
    }

    /** The session's invoice: the one an earlier declined attempt opened, or a new open one. */
    private Mono<InvoiceRow> firstInvoice(SessionRow session, Instant start, Instant end, Instant now) {
        List<InvoiceLine> lines = List.of(InvoiceLine.subscription(session.planName(), session.amount(), start, end));
        InvoiceTotals totals = InvoiceTotals.of(lines);
        if (session.invoiceId() != null) {
            return store.invoice(session.invoiceId())
                    .map(i -> new InvoiceRow(
                            i.id(),
                            i.number(),
                            i.subscriptionId(),
                            i.userId(),
                            i.billingReason(),
                            start,
                            end,
                            InvoiceLines.toJson(lines),
                            totals.subtotal(),
                            totals.total(),
                            i.currency(),
                            i.status(),
                            i.attemptCount(),
                            null,
                            i.createdAt(),
                            null));
        }
        return store.nextInvoiceNumber().flatMap(number -> {
            InvoiceRow invoice = new InvoiceRow(
                    UUID.randomUUID(),
                    number,
                    session.subscriptionId(),
                    session.userId(),
                    BillingReason.SUBSCRIPTION_CREATE.name(),
                    start,
                    end,
                    InvoiceLines.toJson(lines),
                    totals.subtotal(),
                    totals.total(),
                    session.currency(),
                    InvoiceStatus.OPEN.name(),
                    0,
                    null,
                    now,
                    null);
            return store.insertInvoice(invoice).thenReturn(invoice);
        });
    }

    private static boolean isOpen(PaymentRow p) {
        return PaymentStatus.PENDING.name().equals(p.status())
                || PaymentStatus.UNKNOWN.name().equals(p.status());
    }

    static InvoiceRow paid(InvoiceRow i, Instant at, int attempts) {
        return new InvoiceRow(
                i.id(),
                i.number(),
                i.subscriptionId(),
                i.userId(),
                i.billingReason(),
                i.periodStart(),
                i.periodEnd(),
                i.lines(),
                i.subtotal(),
                i.total(),
                i.currency(),
                InvoiceStatus.PAID.name(),
                attempts,
                null,
                i.createdAt(),
                at);
    }

    static InvoiceRow withAttempt(InvoiceRow i, int attempts, Instant next, InvoiceStatus status) {
        return new InvoiceRow(
                i.id(),
                i.number(),
                i.subscriptionId(),
                i.userId(),
                i.billingReason(),
                i.periodStart(),
                i.periodEnd(),
                i.lines(),
                i.subtotal(),
                i.total(),
                i.currency(),
                status.name(),
                attempts,
                next,
                i.createdAt(),
                null);
    }

    static PaymentRow payment(
            InvoiceRow i, int attempt, String key, PaymentStatus status, String ref, String code, String message) {
        return new PaymentRow(
                UUID.randomUUID(),
                i.id(),
                i.subscriptionId(),
                i.userId(),
                i.total(),
                i.currency(),
                status.name(),
                attempt,
                key,
                ref,
                code,
                message,
                0,
                null);
    }

    private static PaymentRow withResult(PaymentRow p, PaymentStatus status, String ref, String code, String message) {
        return new PaymentRow(
                p.id(),
                p.invoiceId(),
                p.subscriptionId(),
                p.userId(),
                p.amount(),
                p.currency(),
                status.name(),
                p.attempt(),
                p.idempotencyKey(),
                ref,
                code,
                message,
                p.refundedAmount(),
                p.createdAt());
    }

    static OutboundEvent succeeded(InvoiceRow i, PaymentRow p, long version, BillingReason reason, Instant paidAt) {
        return OutboundEvent.of(
                "payment-succeeded",
                i.subscriptionId(),
                version,
                new PaymentSucceeded(
                        i.subscriptionId(),
                        i.userId(),
                        i.id(),
                        p.id(),
                        p.amount(),
                        p.currency(),
                        i.periodStart().toString(),
                        i.periodEnd().toString(),
                        reason.name(),
                        paidAt.toString()));
    }

    static OutboundEvent failed(
            InvoiceRow i, PaymentRow p, long version, BillingReason reason, int attempt, Optional<Instant> next) {
        return OutboundEvent.of(
                "payment-failed",
                i.subscriptionId(),
                version,
                new PaymentFailed(
                        i.subscriptionId(),
                        i.userId(),
                        i.id(),
                        p.id(),
                        p.amount(),
                        p.currency(),
                        i.periodStart().toString(),
                        i.periodEnd().toString(),
                        reason.name(),
                        attempt,
                        p.failureCode(),
                        p.failureMessage(),
                        next.map(Instant::toString).orElse(null)));
    }
}
