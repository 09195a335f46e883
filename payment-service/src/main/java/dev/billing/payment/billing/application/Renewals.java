package dev.billing.payment.billing.application;

import dev.billing.payment.billing.application.PaymentProvider.ChargeRequest;
import dev.billing.payment.billing.application.PaymentProvider.ChargeResult;
import dev.billing.payment.billing.domain.BillingInterval;
import dev.billing.payment.billing.domain.InvoiceLine;
import dev.billing.payment.billing.domain.InvoiceTotals;
import dev.billing.payment.billing.domain.Statuses.BillingReason;
import dev.billing.payment.billing.domain.Statuses.InvoiceStatus;
import dev.billing.payment.billing.domain.Statuses.PaymentStatus;
import dev.billing.payment.billing.domain.Times;
import dev.billing.payment.billing.persistence.BillingStore;
import dev.billing.payment.billing.persistence.Rows.CustomerRow;
import dev.billing.payment.billing.persistence.Rows.InvoiceRow;
import dev.billing.payment.billing.persistence.Rows.PaymentRow;
import dev.billing.payment.billing.persistence.Rows.SubscriptionRow;
import dev.billing.payment.config.PaymentProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The renewal job (when the provider leaves renewals to us): expires checkout sessions past their
 * expiry (voiding the invoice a declined attempt opened), opens an invoice for every paid period
 * that ended on a subscription that renews, then charges due invoices (first attempts and dunning
 * retries). Safe with several replicas: work is claimed with {@code FOR UPDATE SKIP LOCKED}, a
 * renewal invoice is unique per period, and a charge attempt is unique per
 * {@code charge:<invoiceId>:<attempt>}. Time comes only from the injected clock.
 */
@Service
public class Renewals {

    private static final Logger log = LoggerFactory.getLogger(Renewals.class);

    private final BillingStore store;
    private final TransactionalOperator tx;
    private final PaymentProvider provider;
    private final ProviderEvents events;
    private final Clock clock;
    private final PaymentProperties props;

    private final AtomicBoolean passRunning = new AtomicBoolean();

    Renewals(
            BillingStore store,
            TransactionalOperator tx,
            PaymentProvider provider,
            ProviderEvents events,
            Clock clock,
            PaymentProperties props) {
        this.store = store;
        this.tx = tx;
        this.provider = provider;
        this.events = events;
        this.clock = clock;
        this.props = props;
    }

    @Scheduled(
            fixedDelayString = "${payment.renewals.interval:5s}",
            initialDelayString = "${payment.renewals.interval:5s}")
    void scheduled() {
        if (!props.renewals().enabled() || !provider.renewalsChargedByUs()) {
            return;
        }
        // No thread waits for the pass; the flag keeps passes from overlapping.
        if (!passRunning.compareAndSet(false, true)) {
            return;
        }
        Mono.defer(this::runOnce)
                .timeout(Duration.ofMinutes(5))
                .doFinally(signal -> passRunning.set(false))
                .subscribe(attempts -> {}, e -> log.warn("renewal pass failed", e));
    }

    /** One pass: returns the number of charge attempts made. */
    public Mono<Integer> runOnce() {
        return store.expireSessions(Times.now(clock)).then(openDueInvoices()).then(chargeDueInvoices());
    }

    /** Opens a renewal invoice (due at the period end) for each subscription whose paid period ended. */
    public Mono<Integer> openDueInvoices() {
        Instant now = Times.now(clock);
        return tx.transactional(store.claimDueRenewals(now, props.renewals().batchSize())
                        .concatMap(this::openInvoice)
                        .count())
                .map(Long::intValue);
    }

    private Mono<Boolean> openInvoice(SubscriptionRow s) {
        Instant start = s.paidThrough();
        Instant anchor = s.billingAnchor() == null ? start : s.billingAnchor();
        Instant end = BillingInterval.valueOf(s.interval()).periodEndAfter(anchor, s.intervalCount(), start);
        List<InvoiceLine> lines = List.of(InvoiceLine.subscription(s.planName(), s.amount(), start, end));
        InvoiceTotals totals = InvoiceTotals.of(lines);
        return store.nextInvoiceNumber()
                .flatMap(number -> store.insertInvoice(new InvoiceRow(
                        UUID.randomUUID(),
                        number,
                        s.id(),
                        s.userId(),
                        BillingReason.SUBSCRIPTION_CYCLE.name(),
                        start,
                        end,
                        InvoiceLines.toJson(lines),
                        totals.subtotal(),
                        totals.total(),
                        s.currency(),
                        InvoiceStatus.OPEN.name(),
                        0,
                        start,
                        Times.now(clock),
                        null)));
    }

    /** Charges every open renewal invoice whose next attempt is due. */
    public Mono<Integer> chargeDueInvoices() {
        Instant now = Times.now(clock);
        Instant leaseUntil = now.plus(props.renewals().chargeLease());
        Mono<List<Claimed>> claim =
                tx.transactional(store.claimDueInvoices(now, props.renewals().batchSize())
                        .concatMap(invoice -> claim(invoice, now, leaseUntil))
                        .collectList());
        return claim.flatMapMany(Flux::fromIterable)
                .concatMap(this::charge)
                .count()
                .map(Long::intValue);
    }

    private record Claimed(PaymentRow payment, CustomerRow customer) {}

    /** Records the attempt as PENDING under its idempotency key before the provider is called. */
    private Mono<Claimed> claim(InvoiceRow invoice, Instant now, Instant leaseUntil) {
        int attempt = invoice.attemptCount() + 1;
        String key = chargeKey(invoice.id(), attempt);
        PaymentRow payment = new PaymentRow(
                UUID.randomUUID(),
                invoice.id(),
                invoice.subscriptionId(),
                invoice.userId(),
                invoice.total(),
                invoice.currency(),
                PaymentStatus.PENDING.name(),
                attempt,
                key,
                null,
                null,
                null,
                0,
                now);
        return store.leaseInvoice(invoice.id(), leaseUntil)
                .then(store.insertPayment(payment, now))
                // an attempt recorded before (a crashed pass): continue with that row, same key
                .flatMap(inserted -> inserted ? Mono.just(payment) : store.paymentByKey(key))
                .filter(p -> PaymentStatus.PENDING.name().equals(p.status()))
                .flatMap(p -> store.customerOfUser(invoice.userId())
                        .map(c -> new Claimed(p, c))
                        .defaultIfEmpty(new Claimed(p, null)));
    }

    private Mono<Boolean> charge(Claimed c) {
        PaymentRow p = c.payment();
        String customerRef = c.customer() == null ? null : c.customer().providerReference();
        String card = c.customer() == null ? null : c.customer().cardToken();
        return provider.charge(new ChargeRequest(
                        p.idempotencyKey(), customerRef, card, p.amount(), p.currency(), "Renewal " + p.invoiceId()))
                .flatMap(result -> {
                    if (result.status() == PaymentStatus.SUCCEEDED || result.status() == PaymentStatus.FAILED) {
                        return events.apply(toEvent(p, result)).map(outcome -> outcome == ProviderEvents.Outcome.PAID);
                    }
                    // the provider does not know yet: recorded as UNKNOWN, left for a reconciler
                    return store.updatePayment(
                                    p.id(),
                                    PaymentStatus.UNKNOWN.name(),
                                    result.reference(),
                                    null,
                                    null,
                                    Times.now(clock))
                            .thenReturn(false);
                })
                .onErrorResume(e -> {
                    // outcome unknown: the payment stays PENDING and the lease expires; the retry
                    // reuses the same idempotency key, so the provider never charges twice
                    log.warn("renewal charge {} failed with an unknown outcome", p.idempotencyKey(), e);
                    return Mono.just(false);
                });
    }

    private ProviderEvent toEvent(PaymentRow p, ChargeResult result) {
        Instant at = Times.now(clock);
        return result.status() == PaymentStatus.SUCCEEDED
                ? new ProviderEvent.RenewalPaid(p.id(), result.reference(), at)
                : new ProviderEvent.RenewalFailed(
                        p.id(), result.reference(), result.failureCode(), result.failureMessage(), at);
    }

    public static String chargeKey(UUID invoiceId, int attempt) {
        return "charge:" + invoiceId + ":" + attempt;
    }
}
