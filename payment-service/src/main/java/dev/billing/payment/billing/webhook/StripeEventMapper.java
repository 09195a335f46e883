package dev.billing.payment.billing.webhook;

import com.stripe.StripeClient;
import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.model.Charge;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.model.InvoiceLineItem;
import com.stripe.model.Refund;
import com.stripe.model.StripeObject;
import com.stripe.model.Subscription;
import com.stripe.model.checkout.Session;
import com.stripe.net.ApiResource;
import com.stripe.param.RefundListParams;
import dev.billing.payment.billing.application.ProviderEvent;
import dev.billing.payment.billing.application.ProviderEvent.ProviderInvoice;
import dev.billing.payment.billing.application.ProviderEvent.ProviderRefund;
import dev.billing.payment.billing.application.ProviderEvent.ProviderSubscriptionState;
import dev.billing.payment.billing.domain.InvoiceLine;
import dev.billing.payment.billing.domain.Statuses.BillingReason;
import dev.billing.payment.billing.persistence.BillingStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A Stripe event as the {@link ProviderEvent} it means for us, or empty when it is not ours or not
 * handled. Where the payload does not say which of our subscriptions it is about (an invoice
 * without the subscription's metadata), the mapping table answers, else the subscription is
 * fetched from Stripe (stripe-java blocks: on boundedElastic, outside any transaction).
 */
@Component
class StripeEventMapper {

    private static final Logger log = LoggerFactory.getLogger(StripeEventMapper.class);

    /** Thrown for a payload that is JSON but not an event we can read: retrying will not help. */
    static final class Unreadable extends RuntimeException {
        Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final StripeClient stripe;
    private final BillingStore store;

    StripeEventMapper(StripeClient stripe, BillingStore store) {
        this.stripe = stripe;
        this.store = store;
    }

    Mono<Optional<ProviderEvent>> map(String payload) {
        Event event;
        StripeObject object;
        try {
            event = ApiResource.GSON.fromJson(payload, Event.class);
            object = object(event);
        } catch (RuntimeException | EventDataObjectDeserializationException e) {
            throw new Unreadable("event payload cannot be read: " + e.getMessage(), e);
        }
        Instant at = Instant.ofEpochSecond(event.getCreated());
        Mono<? extends ProviderEvent> mapped;
        try {
            mapped = mapObject(event, object, at);
        } catch (ClassCastException | NullPointerException e) {
            throw new Unreadable("event " + event.getId() + " does not carry the object its type says", e);
        }
        return mapped.<Optional<ProviderEvent>>map(Optional::of).defaultIfEmpty(Optional.empty());
    }

    private Mono<? extends ProviderEvent> mapObject(Event event, StripeObject object, Instant at) {
        return switch (event.getType()) {
            case "checkout.session.completed" -> checkout((Session) object, at);
            case "invoice.finalized" -> invoice((Invoice) object, at).map(ProviderEvent.InvoiceFinalized::new);
            case "invoice.paid", "invoice.payment_succeeded" ->
                invoice((Invoice) object, at).map(ProviderEvent.InvoicePaid::new);
            case "invoice.payment_failed" -> invoice((Invoice) object, at).map(ProviderEvent.InvoicePaymentFailed::new);
            case "customer.subscription.created", "customer.subscription.updated" ->
                subscription((Subscription) object, at);
            case "customer.subscription.deleted" ->
                subscription((Subscription) object, at).map(s -> ended((Subscription) object, s, at));
            case "charge.refunded" -> refunded((Charge) object);
            default -> Mono.empty();
        };
    }

    /**
     * The event's object. stripe-java deserialises only when the event's api_version is the one it
     * was generated for ({@code Stripe.API_VERSION}); an endpoint pinned to another version still
     * sends the fields we read (ids, statuses, amounts, periods, metadata), so the object is then
     * read "unsafely" from the raw JSON rather than dropped.
     */
    private static StripeObject object(Event event) throws EventDataObjectDeserializationException {
        var deserializer = event.getDataObjectDeserializer();
        Optional<StripeObject> safe = deserializer.getObject();
        if (safe.isPresent()) {
            return safe.get();
        }
        log.info(
                "Stripe event {} has api_version {} (stripe-java reads {}); reading its object from the raw JSON",
                event.getId(),
                event.getApiVersion(),
                com.stripe.Stripe.API_VERSION);
        return deserializer.deserializeUnsafe();
    }

    // ---- checkout.session.completed

    private Mono<ProviderEvent> checkout(Session s, Instant at) {
        if (!"subscription".equals(s.getMode())) {
            return Mono.empty(); // only subscription-mode sessions are ours
        }
        UUID sub = uuid(meta(s.getMetadata(), "subscription_id"))
                .orElse(uuid(s.getClientReferenceId()).orElse(null));
        if (sub == null) {
            return Mono.empty();
        }
        return Mono.just(new ProviderEvent.ProviderCheckoutCompleted(
                sub, s.getId(), s.getSubscription(), s.getCustomer(), s.getPaymentStatus(), at));
    }

    // ---- invoices

    private Mono<ProviderInvoice> invoice(Invoice inv, Instant eventAt) {
        var details = inv.getParent() == null ? null : inv.getParent().getSubscriptionDetails();
        if (details == null || details.getSubscription() == null) {
            return Mono.empty(); // a one-off invoice, not a subscription's
        }
        Optional<BillingReason> reason = billingReason(inv.getBillingReason());
        if (reason.isEmpty()) {
            log.info("Stripe invoice {} with billing_reason {} ignored", inv.getId(), inv.getBillingReason());
            return Mono.empty();
        }
        return subscriptionId(details.getSubscription(), meta(details.getMetadata(), "subscription_id"))
                .map(sub -> toInvoice(inv, sub, details.getSubscription(), reason.get(), eventAt));
    }

    private static ProviderInvoice toInvoice(
            Invoice inv, UUID sub, String stripeSubscription, BillingReason reason, Instant eventAt) {
        List<InvoiceLine> lines = new ArrayList<>();
        Instant start = null;
        Instant end = null;
        if (inv.getLines() != null && inv.getLines().getData() != null) {
            for (InvoiceLineItem line : inv.getLines().getData()) {
                Instant ls = line.getPeriod() == null
                        ? null
                        : seconds(line.getPeriod().getStart());
                Instant le = line.getPeriod() == null
                        ? null
                        : seconds(line.getPeriod().getEnd());
                long amount = line.getAmount() == null ? 0 : line.getAmount();
                lines.add(new InvoiceLine(
                        line.getDescription() == null ? "Subscription" : line.getDescription(),
                        1,
                        amount,
                        amount,
                        ls,
                        le));
                // the invoice's period is its subscription line's (Stripe's invoice.period_* is the
                // previous period for a subscription invoice)
                if (start == null && ls != null && amount >= 0) {
                    start = ls;
                    end = le;
                }
            }
        }
        if (start == null) {
            start = seconds(inv.getPeriodStart());
            end = seconds(inv.getPeriodEnd());
        }
        Instant paidAt =
                inv.getStatusTransitions() != null && inv.getStatusTransitions().getPaidAt() != null
                        ? seconds(inv.getStatusTransitions().getPaidAt())
                        : eventAt;
        return new ProviderInvoice(
                sub,
                inv.getId(),
                stripeSubscription,
                inv.getCustomer(),
                reason,
                inv.getStatus(),
                start,
                end,
                lines,
                inv.getCurrency() == null ? null : inv.getCurrency().toUpperCase(Locale.ROOT),
                inv.getAttemptCount() == null ? 0 : inv.getAttemptCount().intValue(),
                seconds(inv.getNextPaymentAttempt()),
                paymentReference(inv),
                "paid".equals(inv.getStatus()) ? paidAt : eventAt);
    }

    /** The PaymentIntent (else charge) that paid it, when the invoice lists its payments; else the invoice id. */
    private static String paymentReference(Invoice inv) {
        if (inv.getPayments() != null && inv.getPayments().getData() != null) {
            for (var p : inv.getPayments().getData()) {
                if (p.getPayment() != null) {
                    if (p.getPayment().getPaymentIntent() != null) {
                        return p.getPayment().getPaymentIntent();
                    }
                    if (p.getPayment().getCharge() != null) {
                        return p.getPayment().getCharge();
                    }
                }
            }
        }
        return inv.getId();
    }

    private static Optional<BillingReason> billingReason(String stripe) {
        return switch (stripe == null ? "" : stripe) {
            case "subscription_create" -> Optional.of(BillingReason.SUBSCRIPTION_CREATE);
            case "subscription_cycle" -> Optional.of(BillingReason.SUBSCRIPTION_CYCLE);
            case "subscription_update" -> Optional.of(BillingReason.SUBSCRIPTION_UPDATE);
            default -> Optional.empty();
        };
    }

    // ---- subscriptions

    private Mono<ProviderSubscriptionState> subscription(Subscription s, Instant at) {
        return subscriptionId(s.getId(), meta(s.getMetadata(), "subscription_id"))
                .map(sub -> {
                    var item = s.getItems() == null
                                    || s.getItems().getData() == null
                                    || s.getItems().getData().isEmpty()
                            ? null
                            : s.getItems().getData().getFirst();
                    return new ProviderSubscriptionState(
                            sub,
                            s.getId(),
                            s.getCustomer(),
                            s.getStatus(),
                            Boolean.TRUE.equals(s.getCancelAtPeriodEnd()),
                            item == null ? null : seconds(item.getCurrentPeriodStart()),
                            item == null ? null : seconds(item.getCurrentPeriodEnd()),
                            at);
                });
    }

    private static ProviderEvent ended(Subscription s, ProviderSubscriptionState state, Instant at) {
        String reason =
                switch (s.getCancellationDetails() == null
                                || s.getCancellationDetails().getReason() == null
                        ? ""
                        : s.getCancellationDetails().getReason()) {
                    case "cancellation_requested" -> "CANCELLATION_REQUESTED";
                    case "payment_failed" -> "PAYMENT_FAILED";
                    case "payment_disputed" -> "PAYMENT_DISPUTED";
                    default -> "OTHER";
                };
        Instant canceledAt = s.getCanceledAt() != null
                ? seconds(s.getCanceledAt())
                : s.getEndedAt() != null ? seconds(s.getEndedAt()) : at;
        return new ProviderEvent.ProviderSubscriptionEnded(state, reason, canceledAt);
    }

    /**
     * Our subscription id: the metadata's, else the mapping table's, else the metadata of the
     * subscription fetched from Stripe; empty when it is not one of ours.
     */
    private Mono<UUID> subscriptionId(String stripeSubscription, String fromMetadata) {
        Optional<UUID> direct = uuid(fromMetadata);
        if (direct.isPresent()) {
            return Mono.just(direct.get());
        }
        return store.stripeSubscriptionByStripeId(stripeSubscription)
                .map(BillingStore.StripeSubscription::subscriptionId)
                .switchIfEmpty(Mono.defer(() -> Mono.fromCallable(
                                () -> stripe.v1().subscriptions().retrieve(stripeSubscription))
                        .subscribeOn(Schedulers.boundedElastic())
                        .flatMap(fetched -> Mono.justOrEmpty(uuid(meta(fetched.getMetadata(), "subscription_id"))))
                        .doOnSuccess(found -> {
                            if (found == null) {
                                log.info("Stripe subscription {} is not one of ours", stripeSubscription);
                            }
                        })));
    }

    // ---- refunds

    private Mono<ProviderEvent> refunded(Charge c) {
        List<String> refs = new ArrayList<>();
        refs.add(c.getId());
        if (c.getPaymentIntent() != null) {
            refs.add(c.getPaymentIntent());
        }
        Mono<List<Refund>> refunds = c.getRefunds() != null
                        && c.getRefunds().getData() != null
                        && !Boolean.TRUE.equals(c.getRefunds().getHasMore())
                ? Mono.just(c.getRefunds().getData())
                // the charge does not list its refunds (the default since 2022-11-15): ask Stripe
                : Mono.fromCallable(() -> stripe.v1()
                                .refunds()
                                .list(RefundListParams.builder()
                                        .setCharge(c.getId())
                                        .setLimit(100L)
                                        .build())
                                .getData())
                        .subscribeOn(Schedulers.boundedElastic());
        return refunds.map(list -> new ProviderEvent.ChargeRefunded(
                refs,
                list.stream()
                        .map(r -> new ProviderRefund(
                                r.getId(),
                                r.getAmount() == null ? 0 : r.getAmount(),
                                r.getCurrency() == null ? null : r.getCurrency().toUpperCase(Locale.ROOT),
                                refundReason(r.getReason()),
                                r.getStatus(),
                                seconds(r.getCreated())))
                        .toList()));
    }

    private static String refundReason(String stripe) {
        return switch (stripe == null ? "" : stripe) {
            case "duplicate" -> "DUPLICATE";
            case "fraudulent" -> "FRAUDULENT";
            case "requested_by_customer" -> "REQUESTED_BY_CUSTOMER";
            default -> "OTHER";
        };
    }

    // ---- helpers

    private static String meta(Map<String, String> metadata, String key) {
        return metadata == null ? null : metadata.get(key);
    }

    private static Optional<UUID> uuid(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Instant seconds(Long epochSeconds) {
        return epochSeconds == null ? null : Instant.ofEpochSecond(epochSeconds);
    }
}
