package dev.billing.payment.billing.webhook;

import static dev.billing.payment.billing.webhook.StripeFixtures.event;
import static dev.billing.payment.billing.webhook.StripeFixtures.eventId;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stripe does not order its deliveries: every pair of handled events, delivered (and processed)
 * in either order, ends in the same records and the same emitted events.
 */
class StripeWebhookOrderIT extends WebhookIT {

    private static final long MONTH = Duration.ofDays(30).toSeconds();

    /** The events of one subscription's story, as Stripe dates them. */
    enum Kind {
        FINALIZED,
        CHECKOUT_COMPLETED,
        INVOICE_PAID,
        SUBSCRIPTION_UPDATED,
        SUBSCRIPTION_DELETED,
        CHARGE_REFUNDED
    }

    static Stream<Arguments> pairs() {
        List<Arguments> pairs = new ArrayList<>();
        Kind[] story = {
            Kind.FINALIZED,
            Kind.CHECKOUT_COMPLETED,
            Kind.INVOICE_PAID,
            Kind.SUBSCRIPTION_UPDATED,
            Kind.SUBSCRIPTION_DELETED
        };
        for (int i = 0; i < story.length; i++) {
            for (int j = i + 1; j < story.length; j++) {
                pairs.add(Arguments.of(story[i], story[j]));
            }
        }
        // a refund needs the payment it refunds: paired with the invoice that records it
        pairs.add(Arguments.of(Kind.INVOICE_PAID, Kind.CHARGE_REFUNDED));
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} and {1}")
    @MethodSource("pairs")
    void bothOrdersConvergeToTheSameRecordsAndEvents(Kind first, Kind second) {
        long start = clock.instant().getEpochSecond();
        Map<String, Object> forward = run(start, first, second);
        Map<String, Object> backward = run(start, second, first);
        assertThat(backward).isEqualTo(forward);
        // and the pair did something: both events applied, what each one means is there
        String state = forward.get("state").toString();
        assertThat(state)
                .contains("status=PROCESSED")
                .doesNotContain("status=FAILED")
                .doesNotContain("status=RECEIVED");
        if (first == Kind.INVOICE_PAID || second == Kind.INVOICE_PAID) {
            assertThat(state).contains("payment-succeeded").contains("checkout-completed");
        }
        if (second == Kind.SUBSCRIPTION_DELETED) {
            assertThat(state).contains("provider-subscription-canceled").contains("status=canceled");
        }
        if (second == Kind.CHARGE_REFUNDED) {
            assertThat(state).contains("refund-issued").contains("refunded_amount=500");
        }
    }

    private Map<String, Object> run(long start, Kind first, Kind second) {
        var ids = subscribed();
        deliver(payload(ids, start, first));
        // processed once: an event that cannot apply yet (a refund before its payment) waits for its retry
        process();
        deliver(payload(ids, start, second));
        processAll();
        return snapshot(ids);
    }

    private String payload(StripeFixtures.Ids ids, long start, Kind kind) {
        String invoice = "in_" + ids.stripeSubscription().substring(4);
        String pi = "pi_" + ids.stripeSubscription().substring(4);
        String charge = "ch_" + ids.stripeSubscription().substring(4);
        return switch (kind) {
            case FINALIZED ->
                event(
                        eventId(),
                        "invoice.finalized",
                        start + 1,
                        StripeFixtures.invoice(
                                ids,
                                invoice,
                                "subscription_create",
                                "open",
                                1999,
                                start,
                                start + MONTH,
                                0,
                                null,
                                null,
                                true));
            case CHECKOUT_COMPLETED ->
                event(eventId(), "checkout.session.completed", start + 5, StripeFixtures.checkoutSession(ids, "paid"));
            case INVOICE_PAID ->
                event(
                        eventId(),
                        "invoice.paid",
                        start + 6,
                        StripeFixtures.invoice(
                                ids,
                                invoice,
                                "subscription_create",
                                "paid",
                                1999,
                                start,
                                start + MONTH,
                                1,
                                null,
                                pi,
                                true));
            case SUBSCRIPTION_UPDATED ->
                event(
                        eventId(),
                        "customer.subscription.updated",
                        start + 10,
                        StripeFixtures.subscription(ids, "active", false, start, start + MONTH, null));
            case SUBSCRIPTION_DELETED ->
                event(
                        eventId(),
                        "customer.subscription.deleted",
                        start + 1000,
                        StripeFixtures.subscription(
                                ids, "canceled", false, start, start + MONTH, "cancellation_requested"));
            case CHARGE_REFUNDED ->
                event(
                        eventId(),
                        "charge.refunded",
                        start + 100,
                        StripeFixtures.charge(
                                charge,
                                pi,
                                1999,
                                List.of(StripeFixtures.refund(
                                        "re_" + ids.stripeSubscription().substring(4),
                                        charge,
                                        pi,
                                        500,
                                        "requested_by_customer",
                                        start + 100))));
        };
    }

    /** Everything the events could change, with this run's ids replaced by placeholders. */
    private Map<String, Object> snapshot(StripeFixtures.Ids ids) {
        Map<String, Object> p = Map.of("s", ids.subscriptionId());
        Map<String, Object> state = new TreeMap<>();
        state.put(
                "session",
                rows(
                        "SELECT status, provider_reference, invoice_id IS NOT NULL AS linked FROM checkout_sessions"
                                + " WHERE subscription_id = :s",
                        p));
        state.put(
                "invoices",
                rows(
                        "SELECT billing_reason, status, period_start, period_end, lines, subtotal, total, currency,"
                                + " attempt_count, next_attempt_at, paid_at, provider_reference FROM invoices"
                                + " WHERE subscription_id = :s ORDER BY provider_reference",
                        p));
        state.put(
                "payments",
                rows(
                        "SELECT status, amount, currency, attempt, idempotency_key, provider_reference, refunded_amount"
                                + " FROM payments WHERE subscription_id = :s ORDER BY idempotency_key",
                        p));
        state.put(
                "refunds",
                rows(
                        "SELECT r.amount, r.currency, r.reason, r.provider_reference FROM refunds r JOIN payments p"
                                + " ON p.id = r.payment_id WHERE p.subscription_id = :s ORDER BY r.provider_reference",
                        p));
        state.put(
                "stripeSubscription",
                rows(
                        "SELECT stripe_subscription_id, stripe_customer_id, status, cancel_at_period_end,"
                                + " current_period_start, current_period_end, state_as_of, ended_reported"
                                + " FROM stripe_subscriptions WHERE subscription_id = :s",
                        p));
        state.put(
                "subscription",
                rows("SELECT status, paid_through, billing_anchor FROM subscriptions WHERE id = :s", p));
        state.put(
                "customer",
                rows("SELECT provider_reference FROM customers WHERE user_id = :u", Map.of("u", ids.userId())));
        state.put(
                "webhookOutcomes",
                rows(
                        "SELECT type, status FROM stripe_webhook_events WHERE payload LIKE :like ORDER BY type",
                        Map.of("like", "%" + ids.stripeSubscription().substring(4) + "%")));
        List<String> events = new ArrayList<>();
        for (String topic : List.of(
                "checkout-completed",
                "payment-succeeded",
                "payment-failed",
                "refund-issued",
                "provider-subscription-canceled")) {
            for (JsonNode e : events(ids.subscriptionId(), topic)) {
                ObjectNode data = (ObjectNode) e.get("data").deepCopy();
                // our own new ids, and the completion time (the moment whichever event came first)
                data.remove(List.of("invoiceId", "paymentId", "refundId", "completedAt"));
                events.add(topic + " " + data);
            }
        }
        events.sort(String::compareTo);
        state.put("events", events);
        String text = state.toString()
                .replace(ids.subscriptionId().toString(), "<subscription>")
                .replace(ids.userId().toString(), "<user>")
                .replace(ids.sessionId().toString(), "<session>")
                .replace(ids.stripeSubscription().substring(4), "<stripe>")
                // the simulated provider's customer id, random per run (subscription events do not name a customer)
                .replaceAll("cus_sim_[0-9a-f]+", "cus_sim");
        return Map.of("state", text);
    }
}
