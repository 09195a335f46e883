package dev.billing.payment.billing.webhook;

import static dev.billing.payment.billing.webhook.StripeFixtures.PREVIOUS_SECRET;
import static dev.billing.payment.billing.webhook.StripeFixtures.SECRET;
import static dev.billing.payment.billing.webhook.StripeFixtures.checkoutSession;
import static dev.billing.payment.billing.webhook.StripeFixtures.event;
import static dev.billing.payment.billing.webhook.StripeFixtures.eventId;
import static dev.billing.payment.billing.webhook.StripeFixtures.invoice;
import static dev.billing.payment.billing.webhook.StripeFixtures.signature;
import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.platform.test.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class StripeWebhookIT extends WebhookIT {

    private static final long MONTH = Duration.ofDays(30).toSeconds();

    private String paidInvoice(StripeFixtures.Ids ids, String id, String reason, long start) {
        return event(
                eventId(),
                "invoice.paid",
                start + 6,
                invoice(ids, id, reason, "paid", 1999, start, start + MONTH, 1, null, "pi_" + id.substring(3), true));
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    // ---- verification

    @Test
    void aValidEventIsStoredAnsweredAtOnceAndAppliedByTheProcessor() {
        var ids = subscribed();
        long start = now();
        String checkout = event(eventId(), "checkout.session.completed", start, checkoutSession(ids, "paid"));
        String paid = paidInvoice(ids, "in_valid" + start, "subscription_create", start);
        deliver(checkout);
        deliver(paid);
        assertThat(count(
                        "SELECT count(*) FROM stripe_webhook_events WHERE status = 'RECEIVED' AND payload LIKE :s",
                        Map.of("s", "%" + ids.subscriptionId() + "%")))
                .isEqualTo(2);
        assertThat(events(ids.subscriptionId(), "payment-succeeded")).isEmpty();

        process();

        assertThat(row(
                        "SELECT status, provider_reference FROM checkout_sessions WHERE id = :id",
                        Map.of("id", ids.sessionId())))
                .containsEntry("status", "COMPLETE")
                .containsEntry(
                        "provider_reference",
                        "cs_test_" + ids.stripeSubscription().substring(4));
        var invoice = row("SELECT * FROM invoices WHERE subscription_id = :s", Map.of("s", ids.subscriptionId()));
        assertThat(invoice)
                .containsEntry("status", "PAID")
                .containsEntry("billing_reason", "SUBSCRIPTION_CREATE")
                .containsEntry("provider_reference", "in_valid" + start)
                .containsEntry("total", 1999L)
                .containsEntry("period_start", Instant.ofEpochSecond(start).atOffset(java.time.ZoneOffset.UTC));
        assertThat(row(
                        "SELECT status, amount, provider_reference FROM payments WHERE subscription_id = :s",
                        Map.of("s", ids.subscriptionId())))
                .containsEntry("status", "SUCCEEDED")
                .containsEntry("amount", 1999L)
                .containsEntry("provider_reference", "pi_valid" + start);
        assertThat(row(
                        "SELECT stripe_subscription_id, stripe_customer_id FROM stripe_subscriptions"
                                + " WHERE subscription_id = :s",
                        Map.of("s", ids.subscriptionId())))
                .containsEntry("stripe_subscription_id", ids.stripeSubscription())
                .containsEntry("stripe_customer_id", ids.customer());
        assertThat(row("SELECT provider_reference FROM customers WHERE user_id = :u", Map.of("u", ids.userId())))
                .containsEntry("provider_reference", ids.customer());

        JsonNode completed =
                events(ids.subscriptionId(), "checkout-completed").getFirst().get("data");
        assertThat(completed.get("paymentStatus").asString()).isEqualTo("PAID");
        assertThat(completed.get("checkoutSessionId").asString())
                .isEqualTo(ids.sessionId().toString());
        JsonNode succeeded =
                events(ids.subscriptionId(), "payment-succeeded").getFirst().get("data");
        assertThat(succeeded.get("billingReason").asString()).isEqualTo("SUBSCRIPTION_CREATE");
        assertThat(succeeded.get("amount").asLong()).isEqualTo(1999);
        assertThat(succeeded.get("currency").asString()).isEqualTo("USD");
        assertThat(Instant.parse(succeeded.get("periodStart").asString())).isEqualTo(Instant.ofEpochSecond(start));
        assertThat(Instant.parse(succeeded.get("periodEnd").asString()))
                .isEqualTo(Instant.ofEpochSecond(start + MONTH));
        assertThat(count(
                        "SELECT count(*) FROM stripe_webhook_events WHERE status = 'PROCESSED' AND outcome = 'APPLIED'"
                                + " AND payload LIKE :s",
                        Map.of("s", "%" + ids.subscriptionId() + "%")))
                .isEqualTo(2);
    }

    @Test
    void aWrongSecretAMissingHeaderAndAnUnsignedBodyAre400AndStoreNothing() {
        String payload = event(eventId(), "invoice.paid", now(), StripeFixtures.resource("invoice"));
        String id = StripeFixtures.JSON.readTree(payload).get("id").asString();

        String body = post(payload, signature(payload, "whsec_wrong", now()))
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith("application/problem+json")
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        JsonNode problem = StripeFixtures.JSON.readTree(body);
        assertThat(problem.get("type").asString()).isNotBlank();
        assertThat(problem.get("title").asString()).isEqualTo("Invalid signature");
        assertThat(problem.get("detail").asString()).isNotBlank();
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(body).doesNotContain(SECRET).doesNotContain(PREVIOUS_SECRET).doesNotContain("whsec_wrong");

        post(payload, null)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("The Stripe-Signature header is missing.");
        post(payload, "t=" + now() + ",v1=").expectStatus().isBadRequest();
        post(payload, "garbage").expectStatus().isBadRequest();
        // signed body, other body sent
        post(payload.replace("\"livemode\":false", "\"livemode\":true"), signature(payload, SECRET, now()))
                .expectStatus()
                .isBadRequest();
        assertThat(count("SELECT count(*) FROM stripe_webhook_events WHERE id = :id", Map.of("id", id)))
                .isZero();
    }

    @Test
    void theTimestampMustBeWithinTheToleranceEitherWay() {
        String payload = event(eventId(), "ping.unhandled", now(), StripeFixtures.resource("price"));
        long tolerance = Duration.ofMinutes(5).toSeconds();
        post(payload, signature(payload, SECRET, now() - tolerance - 1))
                .expectStatus()
                .isBadRequest();
        post(payload, signature(payload, SECRET, now() + tolerance + 1))
                .expectStatus()
                .isBadRequest();
        // the edges themselves are accepted
        post(payload, signature(payload, SECRET, now() - tolerance))
                .expectStatus()
                .isOk();
        post(payload, signature(payload, SECRET, now() + tolerance))
                .expectStatus()
                .isOk();
    }

    @Test
    void aRotatedSecretStillVerifiesAndSeveralV1SignaturesAreAccepted() {
        String old = event(eventId(), "ping.unhandled", now(), StripeFixtures.resource("price"));
        post(old, signature(old, PREVIOUS_SECRET, now())).expectStatus().isOk();

        String both = event(eventId(), "ping.unhandled", now(), StripeFixtures.resource("price"));
        long t = now();
        String header = "t=" + t + ",v1=" + StripeFixtures.hmac(both, "whsec_other_endpoint", t) + ",v1="
                + StripeFixtures.hmac(both, SECRET, t) + ",v0=ignored";
        post(both, header).expectStatus().isOk();
        assertThat(count(
                        "SELECT count(*) FROM stripe_webhook_events WHERE id IN (:a, :b)",
                        Map.of(
                                "a", StripeFixtures.JSON.readTree(old).get("id").asString(),
                                "b",
                                        StripeFixtures.JSON
                                                .readTree(both)
                                                .get("id")
                                                .asString())))
                .isEqualTo(2);
    }

    @Test
    void aSignedBodyThatIsNotAnEventIs400() {
        for (String body : List.of(
                "{not json", "[1,2]", "{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}", "{\"object\":\"event\"}")) {
            post(body, signature(body, SECRET, now()))
                    .expectStatus()
                    .isBadRequest()
                    .expectBody()
                    .jsonPath("$.title")
                    .isEqualTo("Malformed event");
        }
    }

    @Test
    void anUnknownTypeIsAnsweredAndMarkedIgnored() {
        String id = eventId();
        String payload = event(id, "customer.tax_id.created", now(), StripeFixtures.resource("price"));
        deliver(payload);
        process();
        assertThat(row("SELECT status, outcome FROM stripe_webhook_events WHERE id = :id", Map.of("id", id)))
                .containsEntry("status", "PROCESSED")
                .containsEntry("outcome", "IGNORED");
    }

    // ---- processing

    @Test
    void aDuplicateDeliveredThreeTimesHasOneEffectAndOneEventOnKafka() {
        var ids = subscribed();
        String paid = paidInvoice(ids, "in_dup" + now(), "subscription_create", now());
        deliver(paid);
        deliver(paid);
        process();
        deliver(paid);
        // Stripe sends invoice.payment_succeeded beside invoice.paid for the same invoice: one effect
        var same = (tools.jackson.databind.node.ObjectNode) StripeFixtures.JSON.readTree(paid);
        same.put("id", eventId());
        same.put("type", "invoice.payment_succeeded");
        deliver(StripeFixtures.JSON.writeValueAsString(same));
        process();
        assertThat(count("SELECT count(*) FROM payments WHERE subscription_id = :s", Map.of("s", ids.subscriptionId())))
                .isEqualTo(1);
        assertThat(events(ids.subscriptionId(), "payment-succeeded")).hasSize(1);
        assertThat(events(ids.subscriptionId(), "checkout-completed")).hasSize(1);
        assertThat(rows(
                        "SELECT type, status, outcome FROM stripe_webhook_events WHERE payload LIKE :s ORDER BY type",
                        Map.of("s", "%" + ids.subscriptionId() + "%")))
                .extracting(r -> r.get("type") + " " + r.get("status") + " " + r.get("outcome"))
                .containsExactly("invoice.paid PROCESSED APPLIED", "invoice.payment_succeeded PROCESSED NO_EFFECT");
        var onKafka = TopicReader.readUntil(
                "payment-succeeded",
                read -> read.stream()
                        .anyMatch(r -> r.key().equals(ids.subscriptionId().toString())),
                Duration.ofSeconds(30));
        assertThat(onKafka.stream()
                        .filter(r -> r.key().equals(ids.subscriptionId().toString())))
                .hasSize(1);
    }

    @Test
    void anEventForASubscriptionNotKnownYetIsRetriedWithBackoffAndAppliedOnceItArrives() {
        UUID sub = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        var early = StripeFixtures.Ids.of(sub, user, null);
        String id = eventId();
        long start = now();
        deliver(event(
                id,
                "invoice.paid",
                start + 6,
                invoice(
                        early,
                        "in_early" + start,
                        "subscription_create",
                        "paid",
                        1999,
                        start,
                        start + MONTH,
                        1,
                        null,
                        "pi_early" + start,
                        true)));
        process();
        var stored = row("SELECT * FROM stripe_webhook_events WHERE id = :id", Map.of("id", id));
        assertThat(stored).containsEntry("status", "RECEIVED").containsEntry("attempts", 1);
        assertThat((String) stored.get("last_error")).contains("not known yet");
        assertThat(((java.time.OffsetDateTime) stored.get("next_attempt_at")).toInstant())
                .isAfter(clock.instant());
        process(); // not due yet: nothing happens
        assertThat(row("SELECT attempts FROM stripe_webhook_events WHERE id = :id", Map.of("id", id)))
                .containsEntry("attempts", 1);

        subscribe(sub, user);
        clock.advance(Duration.ofMinutes(1));
        process();
        assertThat(row("SELECT status, attempts FROM stripe_webhook_events WHERE id = :id", Map.of("id", id)))
                .containsEntry("status", "PROCESSED")
                .containsEntry("attempts", 2);
        assertThat(events(sub, "payment-succeeded")).hasSize(1);
        assertThat(events(sub, "checkout-completed")).hasSize(1);
    }

    @Test
    void anEventThatKeepsFailingIsKeptAsFailedAfterTheLastAttempt() {
        var never = StripeFixtures.Ids.of(UUID.randomUUID(), UUID.randomUUID(), null);
        String id = eventId();
        deliver(event(
                id,
                "invoice.payment_failed",
                now(),
                invoice(
                        never,
                        "in_never" + now(),
                        "subscription_cycle",
                        "open",
                        1999,
                        now(),
                        now() + MONTH,
                        1,
                        now() + 3600,
                        null,
                        true)));
        for (int i = 0; i < 3; i++) {
            process();
            clock.advance(Duration.ofHours(2));
        }
        assertThat(row("SELECT status, attempts FROM stripe_webhook_events WHERE id = :id", Map.of("id", id)))
                .containsEntry("status", "FAILED")
                .containsEntry("attempts", 3);
        process();
        assertThat(row("SELECT attempts FROM stripe_webhook_events WHERE id = :id", Map.of("id", id)))
                .containsEntry("attempts", 3);
    }

    @Test
    void aFailedFirstPaymentKeepsTheInvoiceOpenAndALateFailureAfterPaymentChangesNothing() {
        var ids = subscribed();
        long start = now();
        String ref = "in_fail" + start;
        String failed = event(
                eventId(),
                "invoice.payment_failed",
                start + 1,
                invoice(ids, ref, "subscription_create", "open", 1999, start, start + MONTH, 1, null, null, true));
        deliver(failed);
        process();
        JsonNode f = events(ids.subscriptionId(), "payment-failed").getFirst().get("data");
        assertThat(f.get("attemptCount").asInt()).isEqualTo(1);
        assertThat(f.get("nextRetryAt").isNull()).isTrue();
        assertThat(f.get("billingReason").asString()).isEqualTo("SUBSCRIPTION_CREATE");
        assertThat(row("SELECT status FROM invoices WHERE provider_reference = :r", Map.of("r", ref)))
                .containsEntry("status", "OPEN");
        assertThat(row("SELECT status FROM checkout_sessions WHERE id = :id", Map.of("id", ids.sessionId())))
                .containsEntry("status", "OPEN");

        deliver(event(
                eventId(),
                "invoice.paid",
                start + 60,
                invoice(
                        ids,
                        ref,
                        "subscription_create",
                        "paid",
                        1999,
                        start,
                        start + MONTH,
                        2,
                        null,
                        "pi_fail" + start,
                        true)));
        process();
        // the same failure delivered late, and a later-dated one for the paid invoice
        deliver(failed);
        deliver(event(
                eventId(),
                "invoice.payment_failed",
                start + 120,
                invoice(
                        ids,
                        ref,
                        "subscription_create",
                        "open",
                        1999,
                        start,
                        start + MONTH,
                        3,
                        start + 3600,
                        null,
                        true)));
        process();
        assertThat(row("SELECT status, attempt_count FROM invoices WHERE provider_reference = :r", Map.of("r", ref)))
                .containsEntry("status", "PAID")
                .containsEntry("attempt_count", 2);
        assertThat(events(ids.subscriptionId(), "payment-failed")).hasSize(1);
        assertThat(events(ids.subscriptionId(), "payment-succeeded")).hasSize(1);
        assertThat(count("SELECT count(*) FROM invoices WHERE subscription_id = :s", Map.of("s", ids.subscriptionId())))
                .isEqualTo(1);
    }

    @Test
    void aRenewalInvoiceFoundThroughTheMappingTableIsPaidForItsOwnPeriod() {
        var ids = subscribed();
        long start = now();
        deliver(paidInvoice(ids, "in_first" + start, "subscription_create", start));
        process();
        long next = start + MONTH;
        // Stripe's renewal invoice without our metadata: the mapping table names the subscription
        deliver(event(
                eventId(),
                "invoice.paid",
                next + 3600,
                invoice(
                        ids,
                        "in_renew" + start,
                        "subscription_cycle",
                        "paid",
                        1999,
                        next,
                        next + MONTH,
                        1,
                        null,
                        "pi_renew" + start,
                        false)));
        process();
        List<JsonNode> paid = events(ids.subscriptionId(), "payment-succeeded");
        assertThat(paid).hasSize(2);
        JsonNode renewal = paid.get(1).get("data");
        assertThat(renewal.get("billingReason").asString()).isEqualTo("SUBSCRIPTION_CYCLE");
        assertThat(Instant.parse(renewal.get("periodStart").asString())).isEqualTo(Instant.ofEpochSecond(next));
        assertThat(Instant.parse(renewal.get("periodEnd").asString())).isEqualTo(Instant.ofEpochSecond(next + MONTH));
        assertThat(paid.get(1).get("aggregateversion").asLong())
                .isGreaterThan(paid.get(0).get("aggregateversion").asLong());
    }

    @Test
    void aRefundedChargeRecordsEachStripeRefundOnceWithOneRefundIssued() {
        var ids = subscribed();
        long start = now();
        String inv = "in_refund" + start;
        String pi = "pi_refund" + start;
        deliver(paidInvoice(ids, inv, "subscription_create", start));
        process();
        String ch = "ch_refund" + start;
        var first = StripeFixtures.refund("re_a" + start, ch, pi, 500, "requested_by_customer", start + 100);
        deliver(event(eventId(), "charge.refunded", start + 100, StripeFixtures.charge(ch, pi, 1999, List.of(first))));
        process();
        var second = StripeFixtures.refund("re_b" + start, ch, pi, 1499, "duplicate", start + 200);
        String both = event(
                eventId(), "charge.refunded", start + 200, StripeFixtures.charge(ch, pi, 1999, List.of(second, first)));
        deliver(both);
        deliver(both);
        process();
        List<JsonNode> issued = events(ids.subscriptionId(), "refund-issued");
        assertThat(issued).hasSize(2);
        assertThat(issued.stream().map(e -> e.get("data").get("reason").asString()))
                .containsExactly("REQUESTED_BY_CUSTOMER", "DUPLICATE");
        assertThat(row("SELECT refunded_amount FROM payments WHERE provider_reference = :p", Map.of("p", pi)))
                .containsEntry("refunded_amount", 1999L);
    }

    @Test
    void aSubscriptionDeletedAtStripeIsReportedOnceAndALaterUpdateDoesNotReviveIt() {
        var ids = subscribed();
        long start = now();
        deliver(paidInvoice(ids, "in_del" + start, "subscription_create", start));
        deliver(event(
                eventId(),
                "customer.subscription.updated",
                start + 10,
                StripeFixtures.subscription(ids, "active", false, start, start + MONTH, null)));
        process();
        assertThat(row(
                        "SELECT status FROM stripe_subscriptions WHERE subscription_id = :s",
                        Map.of("s", ids.subscriptionId())))
                .containsEntry("status", "active");

        String deleted = event(
                eventId(),
                "customer.subscription.deleted",
                start + 1000,
                StripeFixtures.subscription(ids, "canceled", false, start, start + MONTH, "payment_failed"));
        deliver(deleted);
        process();
        deliver(event(
                eventId(),
                "customer.subscription.deleted",
                start + 1001,
                StripeFixtures.subscription(ids, "canceled", false, start, start + MONTH, "payment_failed")));
        deliver(event(
                eventId(),
                "customer.subscription.updated",
                start + 2000,
                StripeFixtures.subscription(ids, "active", true, start, start + MONTH, null)));
        process();

        List<JsonNode> canceled = events(ids.subscriptionId(), "provider-subscription-canceled");
        assertThat(canceled).hasSize(1);
        assertThat(canceled.getFirst().get("data").get("reason").asString()).isEqualTo("PAYMENT_FAILED");
        assertThat(canceled.getFirst().get("data").get("userId").asString())
                .isEqualTo(ids.userId().toString());
        assertThat(row(
                        "SELECT status, cancel_at_period_end FROM stripe_subscriptions WHERE subscription_id = :s",
                        Map.of("s", ids.subscriptionId())))
                .containsEntry("status", "canceled")
                .containsEntry("cancel_at_period_end", false);
    }

    @Test
    void aSubscriptionThatAlreadyEndedHereIsNotReportedAgain() {
        var ids = subscribed();
        // subscription-service's own cancel, as payment-service sees it
        publishCanceled(ids);
        await(
                () -> count(
                                "SELECT count(*) FROM subscriptions WHERE id = :s AND status = 'CANCELED'",
                                Map.of("s", ids.subscriptionId()))
                        == 1,
                "canceled here");
        deliver(event(
                eventId(),
                "customer.subscription.deleted",
                now(),
                StripeFixtures.subscription(ids, "canceled", false, now(), now() + MONTH, "cancellation_requested")));
        process();
        assertThat(events(ids.subscriptionId(), "provider-subscription-canceled"))
                .isEmpty();
        assertThat(row(
                        "SELECT status FROM stripe_subscriptions WHERE subscription_id = :s",
                        Map.of("s", ids.subscriptionId())))
                .containsEntry("status", "canceled");
    }

    private void publishCanceled(StripeFixtures.Ids ids) {
        var envelope = (tools.jackson.databind.node.ObjectNode) StripeFixtures.JSON.readTree(
                dev.billing.platform.test.contracts.EventSchemas.example("subscription-canceled"));
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("subject", ids.subscriptionId().toString());
        envelope.put("aggregateversion", 50);
        var data = (tools.jackson.databind.node.ObjectNode) envelope.get("data");
        data.put("subscriptionId", ids.subscriptionId().toString());
        data.put("userId", ids.userId().toString());
        data.put("status", "CANCELED");
        data.put("cancelAtPeriodEnd", false);
        publish(
                "subscription-canceled",
                ids.subscriptionId().toString(),
                StripeFixtures.JSON.writeValueAsString(envelope));
    }
}
