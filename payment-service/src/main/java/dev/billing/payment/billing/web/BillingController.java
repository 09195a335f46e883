package dev.billing.payment.billing.web;

import dev.billing.payment.billing.application.Billing;
import dev.billing.payment.billing.application.PaymentProvider.InvalidCard;
import dev.billing.payment.billing.application.PaymentProvider.NotSupported;
import dev.billing.payment.billing.application.PaymentProvider.OutcomeUnknown;
import dev.billing.payment.billing.application.PaymentProvider.Rejected;
import dev.billing.payment.billing.domain.InvoiceLine;
import dev.billing.payment.billing.persistence.Rows.InvoiceRow;
import dev.billing.payment.billing.persistence.Rows.PaymentRow;
import dev.billing.payment.common.Problems;
import dev.billing.platform.security.Caller;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The caller's payments and invoices, card change, and admin refunds. */
@RestController
class BillingController {

    static final int MAX_PAGE_SIZE = 100;

    record PaymentResponse(
            UUID id,
            UUID invoiceId,
            UUID subscriptionId,
            long amount,
            long refundedAmount,
            String currency,
            String status,
            int attempt,
            String providerReference,
            String failureCode,
            String failureMessage,
            Instant createdAt) {

        static PaymentResponse of(PaymentRow p) {
            return new PaymentResponse(
                    p.id(),
                    p.invoiceId(),
                    p.subscriptionId(),
                    p.amount(),
                    p.refundedAmount(),
                    p.currency(),
                    p.status(),
                    p.attempt(),
                    p.providerReference(),
                    p.failureCode(),
                    p.failureMessage(),
                    p.createdAt());
        }
    }

    record LineResponse(
            String description, int quantity, long unitAmount, long amount, Instant periodStart, Instant periodEnd) {}

    record InvoiceResponse(
            UUID id,
            String number,
            UUID subscriptionId,
            UUID userId,
            String status,
            String billingReason,
            Instant periodStart,
            Instant periodEnd,
            List<LineResponse> lines,
            long subtotal,
            long total,
            String currency,
            int attemptCount,
            Instant nextAttemptAt,
            Instant createdAt,
            Instant paidAt) {

        static InvoiceResponse of(Billing.Invoice invoice) {
            InvoiceRow i = invoice.row();
            return new InvoiceResponse(
                    i.id(),
                    i.number(),
                    i.subscriptionId(),
                    i.userId(),
                    i.status(),
                    i.billingReason(),
                    i.periodStart(),
                    i.periodEnd(),
                    invoice.lines().stream().map(BillingController::line).toList(),
                    i.subtotal(),
                    i.total(),
                    i.currency(),
                    i.attemptCount(),
                    i.nextAttemptAt(),
                    i.createdAt(),
                    i.paidAt());
        }
    }

    record Page<T>(List<T> items, int page, int size) {}

    record CardRequest(String card) {}

    record CardResponse(String last4) {}

    record RefundRequest(Long amount, String reason) {}

    record RefundResponse(
            UUID id,
            UUID paymentId,
            long amount,
            String currency,
            String reason,
            Instant createdAt,
            long paymentRefundedAmount) {}

    private final Billing billing;

    BillingController(Billing billing) {
        this.billing = billing;
    }

    @GetMapping("/api/v1/payments/me")
    Mono<Page<PaymentResponse>> payments(
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        checkPage(page, size);
        return Caller.current()
                .flatMap(c -> billing.paymentsOf(c.userId(), page, size)
                        .map(PaymentResponse::of)
                        .collectList())
                .map(items -> new Page<>(items, page, size));
    }

    @GetMapping("/api/v1/invoices/me")
    Mono<Page<InvoiceResponse>> invoices(
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        checkPage(page, size);
        return Caller.current()
                .flatMap(c -> billing.invoicesOf(c.userId(), page, size)
                        .map(InvoiceResponse::of)
                        .collectList())
                .map(items -> new Page<>(items, page, size));
    }

    @GetMapping("/api/v1/invoices/{id}")
    Mono<InvoiceResponse> invoice(@PathVariable UUID id) {
        return Caller.current()
                .flatMap(c -> billing.invoice(id, c.userId(), c.isAdmin()))
                .map(InvoiceResponse::of)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("Invoice")));
    }

    /** Replaces the caller's saved card; renewals and dunning retries charge it. */
    @PostMapping("/api/v1/payments/me/card")
    Mono<CardResponse> changeCard(@RequestBody CardRequest request) {
        if (request.card() == null || request.card().isBlank()) {
            return Mono.error(Problems.validation(Map.of("card", "must not be blank")));
        }
        return Caller.current()
                .flatMap(c -> billing.changeCard(c.userId(), request.card()))
                .map(saved -> new CardResponse(saved.last4()))
                .onErrorMap(InvalidCard.class, e -> Problems.validation(Map.of("card", e.getMessage())))
                .onErrorMap(NotSupported.class, e -> Problems.conflict(e.getMessage()))
                .switchIfEmpty(Mono.error(() -> Problems.notFound("A billing customer for the caller")));
    }

    record PortalResponse(String url) {}

    /**
     * A Stripe customer-portal session for the caller (cards, invoices, cancellation): 200 {@code {url}};
     * 404 without a customer yet; 409 with the simulated provider, which has no portal.
     */
    @PostMapping("/api/v1/billing-portal")
    Mono<PortalResponse> billingPortal() {
        return Caller.current()
                .flatMap(c -> billing.billingPortal(c.userId()))
                .map(PortalResponse::new)
                .onErrorMap(NotSupported.class, e -> Problems.conflict(e.getMessage()))
                .onErrorMap(
                        Rejected.class,
                        e -> Problems.of(
                                HttpStatus.BAD_GATEWAY,
                                "Payment provider refused",
                                "Stripe refused the portal session."))
                .onErrorMap(
                        OutcomeUnknown.class,
                        e -> Problems.of(
                                HttpStatus.SERVICE_UNAVAILABLE,
                                "Payment provider unavailable",
                                "Stripe did not answer; try again."))
                .switchIfEmpty(Mono.error(() -> Problems.notFound("A billing customer for the caller")));
    }

    /** Admin: refund all that remains of a payment, or part of it. */
    @PostMapping("/api/v1/payments/{id}/refunds")
    Mono<ResponseEntity<RefundResponse>> refund(
            @PathVariable UUID id,
            @RequestBody RefundRequest request,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        String reason = request.reason() == null ? "REQUESTED_BY_CUSTOMER" : request.reason();
        if (!Billing.REFUND_REASONS.contains(reason)) {
            return Mono.error(Problems.validation(Map.of("reason", "must be one of " + Billing.REFUND_REASONS)));
        }
        if (request.amount() != null && request.amount() <= 0) {
            return Mono.error(Problems.validation(Map.of("amount", "must be positive")));
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            return Mono.error(Problems.validation(Map.of("Idempotency-Key", "must be 1 to 200 characters")));
        }
        return Caller.current()
                .filter(Caller::isAdmin)
                .switchIfEmpty(Mono.error(
                        () -> Problems.of(HttpStatus.FORBIDDEN, "Forbidden", "Refunds need the ADMIN role.")))
                .flatMap(admin -> billing.refund(id, request.amount(), reason, idempotencyKey))
                .onErrorMap(Billing.NotRefundable.class, e -> Problems.conflict(e.getMessage()))
                // nothing recorded (the transaction rolled back): a retry with the same key is safe
                .onErrorMap(Rejected.class, e -> Problems.conflict(e.getMessage()))
                .onErrorMap(
                        OutcomeUnknown.class,
                        e -> Problems.of(
                                HttpStatus.SERVICE_UNAVAILABLE,
                                "Payment provider unavailable",
                                "The refund's outcome is not known yet; retry with the same Idempotency-Key."))
                .switchIfEmpty(Mono.error(() -> Problems.notFound("Payment")))
                .map(r -> ResponseEntity.status(r.created() ? HttpStatus.CREATED : HttpStatus.OK)
                        .body(new RefundResponse(
                                r.row().id(),
                                r.row().paymentId(),
                                r.row().amount(),
                                r.row().currency(),
                                r.row().reason(),
                                r.row().createdAt(),
                                r.payment().refundedAmount())));
    }

    private static LineResponse line(InvoiceLine l) {
        return new LineResponse(
                l.description(), l.quantity(), l.unitAmount(), l.amount(), l.periodStart(), l.periodEnd());
    }

    private static void checkPage(int page, int size) {
        if (page < 0) {
            throw Problems.validation(Map.of("page", "must be >= 0"));
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw Problems.validation(Map.of("size", "must be between 1 and " + MAX_PAGE_SIZE));
        }
    }
}
