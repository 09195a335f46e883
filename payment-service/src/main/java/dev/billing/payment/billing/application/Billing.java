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

    Billing(BillingStore store, Outbox outbox, TransactionalOperator tx, PaymentProvider provider, Clock clock) {
        this.store = store;
        this.outbox = outbox;
        this.tx = tx;
        this.provider = provider;
        this.clock = clock;
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
     * Refunds all that remains of a payment, or {@code amount}. A retry with the same idempotency
     * key answers the first refund; the payment row is locked so parallel refunds cannot exceed it.
     */
    public Mono<Refund> refund(UUID paymentId, Long amount, String reason, String idempotencyKey) {
        String key = "refund:" + paymentId + ":" + (idempotencyKey == null ? UUID.randomUUID() : idempotencyKey);
        Mono<Refund> effect = store.lockPayment(paymentId).flatMap(p -> store.refundByKey(key)
                .map(existing -> new Refund(existing, p, false))
                .switchIfEmpty(Mono.defer(() -> issue(p, amount, reason, key))));
        return tx.transactional(effect);
    }

    private Mono<Refund> issue(PaymentRow p, Long requested, String reason, String key) {
        if (!PaymentStatus.SUCCEEDED.name().equals(p.status())) {
            return Mono.error(new NotRefundable("Only a succeeded payment can be refunded."));
        }
        long amount;
        try {
            amount = Refunds.decide(p.amount(), p.refundedAmount(), requested);
        } catch (Refunds.TooLarge e) {
            return Mono.error(new NotRefundable(e.getMessage()));
        }
        UUID refundId = UUID.randomUUID();
        Instant now = dev.billing.payment.billing.domain.Times.now(clock);
        return provider.refund(
                        new PaymentProvider.RefundRequest(key, p.providerReference(), amount, p.currency(), reason))
                .flatMap(ref -> {
                    RefundRow row = new RefundRow(refundId, p.id(), amount, p.currency(), reason, key, ref, now);
                    return store.insertRefund(row)
                            .then(store.addRefunded(p.id(), amount))
                            .then(store.nextBillingVersion(p.subscriptionId()))
                            .flatMap(v -> outbox.record(OutboundEvent.of(
                                    "refund-issued",
                                    p.subscriptionId(),
                                    v,
                                    new RefundIssued(
                                            p.subscriptionId(),
                                            p.userId(),
                                            refundId,
                                            p.id(),
                                            p.invoiceId(),
                                            amount,
                                            p.currency(),
                                            reason,
                                            now.toString()))))
                            .then(store.payment(p.id()))
                            .map(updated -> new Refund(row, updated, true));
                });
    }

    private static Invoice invoice(InvoiceRow row) {
        return new Invoice(row, InvoiceLines.fromJson(row.lines()));
    }
}
