package dev.billing.payment.billing.application;

import dev.billing.payment.billing.application.PaymentEvents.RefundIssued;
import dev.billing.payment.billing.domain.InvoiceLine;
import dev.billing.payment.billing.domain.Refunds;
import dev.billing.payment.billing.domain.Statuses.PaymentStatus;
import dev.billing.payment.billing.persistence.BillingStore;
import dev.billing.payment.billing.persistence.Rows.InvoiceRow;
import dev.billing.payment.billing.persistence.Rows.PaymentRow;
import dev.billing.payment.billing.persistence.Rows.RefundRow;
import dev.billing.platform.event.OutboundEvent;
import dev.billing.platform.outbox.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** What the HTTP API does: the caller's payments and invoices, card changes, admin refunds. */
@Service
public class Billing {

    public static final Set<String> REFUND_REASONS =
            Set.of("REQUESTED_BY_CUSTOMER", "DUPLICATE", "FRAUDULENT", "OTHER");

    /** A payment that cannot be refunded (not succeeded, or nothing left): 409 at the edge. */
    public static final class NotRefundable extends RuntimeException {
        public NotRefundable(String message) {
            super(message);
        }
    }

    public record Invoice(InvoiceRow row, List<InvoiceLine> lines) {}

    public record Refund(RefundRow row, PaymentRow payment, boolean created) {}

    private final BillingStore store;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final PaymentProvider provider;
    private final Clock clock;
    private final ProviderCalls calls;

    Billing(
            BillingStore store,
            Outbox outbox,
            TransactionalOperator tx,
            PaymentProvider provider,
            Clock clock,
            ProviderCalls calls) {
        this.store = store;
        this.outbox = outbox;
        this.tx = tx;
        this.provider = provider;
        this.clock = clock;
        this.calls = calls;
    }

    public Flux<PaymentRow> paymentsOf(UUID userId, int page, int size) {
        return store.paymentsOfUser(userId, size, (long) page * size);
    }

    public Flux<Invoice> invoicesOf(UUID userId, int page, int size) {
        return store.invoicesOfUser(userId, size, (long) page * size).map(Billing::invoice);
    }

    /** One invoice, for its owner or an admin; empty otherwise (404, never 403). */
    public Mono<Invoice> invoice(UUID id, UUID callerId, boolean admin) {
        return store.invoice(id)
                .filter(i -> admin || i.userId().equals(callerId))
                .map(Billing::invoice);
    }

    /** Replaces the caller's saved card (renewals charge it); empty when the caller has no customer yet. */
    public Mono<PaymentProvider.SavedCard> changeCard(UUID userId, String card) {
        return store.customerOfUser(userId)
                .flatMap(c -> provider.saveCard(c.providerReference(), card).flatMap(saved -> store.saveCard(
                                c.id(),
                                saved.paymentMethod(),
                                saved.last4(),
                                dev.billing.payment.billing.domain.Times.now(clock))
                        .thenReturn(saved)));
    }

    /**
     * A provider page where the caller manages cards and invoices (Stripe's customer portal); empty
     * when the caller has no customer yet; {@link PaymentProvider.NotSupported} without one.
     */
    public Mono<String> billingPortal(UUID userId) {
        return store.customerOfUser(userId).flatMap(c -> provider.billingPortal(c.providerReference()));
    }

    /**
     * Refunds all that remains of a payment, or {@code amount}, in three steps so that no
     * transaction is open while the provider answers: (1) one transaction locks the payment,
     * answers a retry of a finished refund (same idempotency key) with the first refund, or
     * reserves a new one (a PENDING row whose amount counts as refunded, so parallel refunds cannot
     * exceed the payment); (2) the provider refunds under the key; (3) one transaction records its
     * reference and {@code refund-issued}. A refusal releases the reservation (409); no answer
     * leaves it UNKNOWN for the reconciler (and a retry with the same key re-issues it): 503.
     */
    public Mono<Refund> refund(UUID paymentId, Long amount, String reason, String idempotencyKey) {
        String key = "refund:" + paymentId + ":" + (idempotencyKey == null ? UUID.randomUUID() : idempotencyKey);
        Mono<Reservation> reserve = store.lockPayment(paymentId).flatMap(p -> store.refundByKey(key)
                .flatMap(existing -> store.refundStatus(existing.id())
                        .map(status -> new Reservation(existing, p, "SUCCEEDED".equals(status))))
                .switchIfEmpty(Mono.defer(() -> reserve(p, amount, reason, key))));
        return tx.transactional(reserve)
                .flatMap(r -> r.done() ? Mono.just(new Refund(r.row(), r.payment(), false)) : send(r));
    }

    private record Reservation(RefundRow row, PaymentRow payment, boolean done) {}

    private Mono<Reservation> reserve(PaymentRow p, Long requested, String reason, String key) {
        if (!PaymentStatus.SUCCEEDED.name().equals(p.status())) {
            return Mono.error(new NotRefundable("Only a succeeded payment can be refunded."));
        }
        long amount;
        try {
            amount = Refunds.decide(p.amount(), p.refundedAmount(), requested);
        } catch (Refunds.TooLarge e) {
            return Mono.error(new NotRefundable(e.getMessage()));
        }
        Instant now = dev.billing.payment.billing.domain.Times.now(clock);
        RefundRow row = new RefundRow(UUID.randomUUID(), p.id(), amount, p.currency(), reason, key, null, now);
        return store.insertRefund(row)
                .then(store.addRefunded(p.id(), amount))
                .thenReturn(new Reservation(row, p, false));
    }

    private Mono<Refund> send(Reservation r) {
        RefundRow row = r.row();
        PaymentRow p = r.payment();
        PaymentProvider.RefundRequest request = new PaymentProvider.RefundRequest(
                row.idempotencyKey(), p.providerReference(), row.amount(), row.currency(), row.reason());
        return provider.refund(request)
                .flatMap(ref -> completeRefund(row, ref))
                .onErrorResume(PaymentProvider.Rejected.class, e -> tx.transactional(store.releaseRefund(row))
                        .then(Mono.error(new NotRefundable(e.getMessage()))))
                .onErrorResume(PaymentProvider.OutcomeUnknown.class, e -> {
                    Instant now = dev.billing.payment.billing.domain.Times.now(clock);
                    return tx.transactional(store.markRefundUnknown(row.id())
                                    .then(calls.recordUnknownRefund(request, p.userId(), p.subscriptionId(), e, now)))
                            .then(Mono.error(e));
                });
    }

    /** Records the provider's refund and {@code refund-issued}, once (a reconciled refund comes here too). */
    Mono<Refund> completeRefund(RefundRow row, String providerReference) {
        Instant now = dev.billing.payment.billing.domain.Times.now(clock);
        Mono<Refund> effect = store.lockPayment(row.paymentId()).flatMap(p -> store.completeRefund(
                        row.id(), providerReference)
                .flatMap(first -> !first
                        ? Mono.<Long>empty()
                        : store.nextBillingVersion(p.subscriptionId()).flatMap(v -> outbox.record(OutboundEvent.of(
                                        "refund-issued",
                                        p.subscriptionId(),
                                        v,
                                        new RefundIssued(
                                                p.subscriptionId(),
                                                p.userId(),
                                                row.id(),
                                                p.id(),
                                                p.invoiceId(),
                                                row.amount(),
                                                p.currency(),
                                                row.reason(),
                                                row.createdAt().toString())))
                                .thenReturn(v)))
                .then(store.payment(p.id()))
                .map(updated -> new Refund(
                        new RefundRow(
                                row.id(),
                                row.paymentId(),
                                row.amount(),
                                row.currency(),
                                row.reason(),
                                row.idempotencyKey(),
                                providerReference,
                                row.createdAt()),
                        updated,
                        true)));
        return tx.transactional(effect);
    }

    private static Invoice invoice(InvoiceRow row) {
        return new Invoice(row, InvoiceLines.fromJson(row.lines()));
    }
}
