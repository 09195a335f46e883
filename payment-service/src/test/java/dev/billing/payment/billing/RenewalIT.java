package dev.billing.payment.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.payment.PaymentIT;
import dev.billing.payment.billing.application.PaymentProvider;
import dev.billing.payment.billing.application.PaymentProvider.ChargeRequest;
import dev.billing.payment.billing.application.ProviderEvent;
import dev.billing.payment.billing.application.ProviderEvents;
import dev.billing.payment.billing.application.Renewals;
import dev.billing.payment.billing.domain.Statuses.PaymentStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

class RenewalIT extends PaymentIT {

    @Autowired
    Renewals renewals;

    @Autowired
    PaymentProvider provider;

    @Autowired
    ProviderEvents providerEvents;

    private Instant paidSubscription(UUID sub, UUID user) {
        UUID session = subscribe(sub, user);
        pay(session, GOOD_CARD).expectStatus().isOk();
        return Instant.parse(events(sub, "payment-succeeded")
                .getFirst()
                .get("data")
                .get("periodEnd")
                .asString());
    }

    private void run() {
        renewals.runOnce().block(Duration.ofSeconds(30));
    }

    @Test
    void aRenewalChargesTheSavedCardForTheNextPeriod() {
        UUID sub = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        Instant periodEnd = paidSubscription(sub, user);

        run();
        assertThat(events(sub, "payment-succeeded")).hasSize(1);

        clock.set(periodEnd.plusSeconds(1));
        run();
        run();
        List<JsonNode> succeeded = events(sub, "payment-succeeded");
        assertThat(succeeded).hasSize(2);
        JsonNode renewal = succeeded.get(1).get("data");
        assertThat(renewal.get("billingReason").asString()).isEqualTo("SUBSCRIPTION_CYCLE");
        assertThat(renewal.get("periodStart").asString()).isEqualTo(periodEnd.toString());
        assertThat(Instant.parse(renewal.get("periodEnd").asString()))
                .isEqualTo(periodEnd
                        .atOffset(java.time.ZoneOffset.UTC)
                        .plusMonths(1)
                        .toInstant());
        assertThat(getJson("/api/v1/invoices/me", token(user)).get("items")).hasSize(2);
    }

    @Test
    void aFailingRenewalIsRetriedAfterOneThreeAndFiveDaysThenGivenUp() {
        UUID sub = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        Instant due = paidSubscription(sub, user);
        http().post()
                .uri("/api/v1/payments/me/card")
                .header("Authorization", "Bearer " + token(user))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("card", DECLINED_CARD))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.last4")
                .isEqualTo("0002");

        clock.set(due.plusSeconds(1));
        run();
        expectFailure(sub, 1, due.plus(Duration.ofDays(1)));
        run(); // not due yet: no second attempt
        assertThat(events(sub, "payment-failed")).hasSize(1);

        clock.set(due.plus(Duration.ofDays(1)).plusSeconds(1));
        run();
        expectFailure(sub, 2, due.plus(Duration.ofDays(3)));
        clock.set(due.plus(Duration.ofDays(3)).plusSeconds(1));
        run();
        expectFailure(sub, 3, due.plus(Duration.ofDays(5)));
        clock.set(due.plus(Duration.ofDays(5)).plusSeconds(1));
        run();
        JsonNode last = expectFailure(sub, 4, null);
        assertThat(last.get("billingReason").asString()).isEqualTo("SUBSCRIPTION_CYCLE");

        JsonNode invoice = getJson("/api/v1/invoices/" + last.get("invoiceId").asString(), token(user));
        assertThat(invoice.get("status").asString()).isEqualTo("UNCOLLECTIBLE");
        assertThat(invoice.get("attemptCount").asInt()).isEqualTo(4);

        clock.advance(Duration.ofDays(10));
        run();
        assertThat(events(sub, "payment-failed")).hasSize(4);
        assertThat(events(sub, "payment-succeeded")).hasSize(1);
    }

    private JsonNode expectFailure(UUID sub, int attempt, Instant nextRetryAt) {
        List<JsonNode> failed = events(sub, "payment-failed");
        assertThat(failed).hasSize(attempt);
        JsonNode data = failed.get(attempt - 1).get("data");
        assertThat(data.get("attemptCount").asInt()).isEqualTo(attempt);
        assertThat(data.get("failureCode").asString()).isEqualTo("card_declined");
        if (nextRetryAt == null) {
            assertThat(data.get("nextRetryAt").isNull()).isTrue();
        } else {
            assertThat(data.get("nextRetryAt").asString()).isEqualTo(nextRetryAt.toString());
        }
        return data;
    }

    @Test
    void aSubscriptionCanceledAtPeriodEndIsNotRenewed() {
        UUID sub = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        Instant due = paidSubscription(sub, user);
        String canceled = subscriptionEvent("subscription-canceled", sub, user, 5, true, "ACTIVE");
        publish("subscription-canceled", sub.toString(), canceled);
        // an older event arriving late is dropped
        publish(
                "subscription-canceled",
                sub.toString(),
                subscriptionEvent("subscription-canceled", sub, user, 3, false, "ACTIVE"));
        await(
                () -> count(
                                "SELECT count(*) FROM subscriptions WHERE id = :s AND cancel_at_period_end",
                                Map.of("s", sub))
                        == 1,
                "cancel applied");

        clock.set(due.plusSeconds(1));
        run();
        assertThat(events(sub, "payment-succeeded")).hasSize(1);
        assertThat(events(sub, "payment-failed")).isEmpty();
    }

    @Test
    void aResumedSubscriptionIsRenewedAgain() {
        UUID sub = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        Instant due = paidSubscription(sub, user);
        publish(
                "subscription-canceled",
                sub.toString(),
                subscriptionEvent("subscription-canceled", sub, user, 5, true, "ACTIVE"));
        await(
                () -> count(
                                "SELECT count(*) FROM subscriptions WHERE id = :s AND cancel_at_period_end",
                                Map.of("s", sub))
                        == 1,
                "cancel applied");
        // a resume older than the cancel (arriving late) is dropped: the cancel stays scheduled
        String stale = subscriptionEvent("subscription-resumed", sub, user, 4, false, "ACTIVE");
        publish("subscription-resumed", sub.toString(), stale);
        UUID staleId = UUID.fromString(JSON.readTree(stale).get("id").asString());
        await(
                () -> count("SELECT count(*) FROM inbox WHERE event_id = :id", Map.of("id", staleId)) == 1,
                "stale resume seen");
        assertThat(count("SELECT count(*) FROM subscriptions WHERE id = :s AND cancel_at_period_end", Map.of("s", sub)))
                .isEqualTo(1);

        String resumed = subscriptionEvent("subscription-resumed", sub, user, 6, false, "ACTIVE");
        dev.billing.platform.test.contracts.EventSchemas.assertValid(resumed);
        publish("subscription-resumed", sub.toString(), resumed);
        await(
                () -> count(
                                "SELECT count(*) FROM subscriptions WHERE id = :s AND NOT cancel_at_period_end"
                                        + " AND source_version = 6",
                                Map.of("s", sub))
                        == 1,
                "resume applied");

        clock.set(due.plusSeconds(1));
        run();
        run();
        List<JsonNode> succeeded = events(sub, "payment-succeeded");
        assertThat(succeeded).hasSize(2);
        JsonNode renewal = succeeded.get(1).get("data");
        assertThat(renewal.get("billingReason").asString()).isEqualTo("SUBSCRIPTION_CYCLE");
        assertThat(renewal.get("periodStart").asString()).isEqualTo(due.toString());
        assertThat(events(sub, "payment-failed")).isEmpty();
    }

    @Test
    void aCancelArrivingBeforeTheCreationMeansNoCheckout() {
        UUID sub = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        publish(
                "subscription-canceled",
                sub.toString(),
                subscriptionEvent("subscription-canceled", sub, user, 2, false, "CANCELED"));
        await(() -> count("SELECT count(*) FROM subscriptions WHERE id = :s", Map.of("s", sub)) == 1, "cancel kept");
        String created = subscriptionCreated(sub, user, "INCOMPLETE", 1999, e -> {});
        UUID createdId = UUID.fromString(JSON.readTree(created).get("id").asString());
        publish("subscription-created", sub.toString(), created);
        await(
                () -> count("SELECT count(*) FROM inbox WHERE event_id = :id", Map.of("id", createdId)) == 1,
                "creation seen");
        assertThat(events(sub, "checkout-session-created")).isEmpty();
        assertThat(count("SELECT count(*) FROM checkout_sessions WHERE subscription_id = :s", Map.of("s", sub)))
                .isZero();
    }

    private String subscriptionEvent(
            String type, UUID sub, UUID user, long version, boolean atPeriodEnd, String status) {
        var envelope = (tools.jackson.databind.node.ObjectNode)
                JSON.readTree(dev.billing.platform.test.contracts.EventSchemas.example(type));
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("subject", sub.toString());
        envelope.put("aggregateversion", version);
        var data = (tools.jackson.databind.node.ObjectNode) envelope.get("data");
        data.put("subscriptionId", sub.toString());
        data.put("userId", user.toString());
        data.put("cancelAtPeriodEnd", atPeriodEnd);
        data.put("status", status);
        return JSON.writeValueAsString(envelope);
    }

    @Test
    void anUpgradeWithProrationIsChargedNowAndTheNewPriceAtRenewal() {
        UUID sub = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        Instant due = paidSubscription(sub, user);
        var envelope = (tools.jackson.databind.node.ObjectNode)
                JSON.readTree(dev.billing.platform.test.contracts.EventSchemas.example("subscription-plan-changed"));
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("subject", sub.toString());
        envelope.put("aggregateversion", 4);
        var data = (tools.jackson.databind.node.ObjectNode) envelope.get("data");
        data.put("subscriptionId", sub.toString());
        data.put("userId", user.toString());
        data.put("planName", "Premium Plus");
        data.put("amount", 2999);
        data.put("proration", true);
        data.put("prorationCredit", 500);
        data.put("prorationCharge", 1000);
        data.put("effectiveAt", clock.instant().toString());
        String json = JSON.writeValueAsString(envelope);
        dev.billing.platform.test.contracts.EventSchemas.assertValid(json);
        publish("subscription-plan-changed", sub.toString(), json);
        await(
                () -> count(
                                "SELECT count(*) FROM invoices WHERE subscription_id = :s"
                                        + " AND billing_reason = 'SUBSCRIPTION_UPDATE'",
                                Map.of("s", sub))
                        == 1,
                "proration invoice");

        run();
        List<JsonNode> succeeded = events(sub, "payment-succeeded");
        assertThat(succeeded).hasSize(2);
        assertThat(succeeded.get(1).get("data").get("billingReason").asString()).isEqualTo("SUBSCRIPTION_UPDATE");
        assertThat(succeeded.get(1).get("data").get("amount").asLong()).isEqualTo(500);
        assertThat(succeeded.get(1).get("data").get("periodEnd").asString()).isEqualTo(due.toString());

        clock.set(due.plusSeconds(1));
        run();
        succeeded = events(sub, "payment-succeeded");
        assertThat(succeeded).hasSize(3);
        assertThat(succeeded.get(2).get("data").get("billingReason").asString()).isEqualTo("SUBSCRIPTION_CYCLE");
        assertThat(succeeded.get(2).get("data").get("amount").asLong()).isEqualTo(2999);
    }

    @Test
    void aChargeKeyChargesOnceHoweverOftenItIsRetried() {
        String key = "charge:" + UUID.randomUUID() + ":1";
        var request = new ChargeRequest(key, "cus_sim_x", "pm_sim_" + GOOD_CARD, 1999, "USD", "test");
        var first = provider.charge(request).block(Duration.ofSeconds(10));
        var second = provider.charge(request).block(Duration.ofSeconds(10));
        assertThat(first.status()).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(second).isEqualTo(first);
        assertThat(count("SELECT count(*) FROM simulated_charges WHERE idempotency_key = :k", Map.of("k", key)))
                .isEqualTo(1);
    }

    @Test
    void aRepeatedProviderReportHasOneEffect() {
        UUID sub = UUID.randomUUID();
        UUID session = subscribe(sub, UUID.randomUUID());
        String key = "checkout:" + session + ":1";
        var paid = new ProviderEvent.CheckoutPaid(
                session, key, "ch_sim_test", "pm_sim_" + GOOD_CARD, "4242", clock.instant());
        assertThat(providerEvents.apply(paid).block(Duration.ofSeconds(10))).isEqualTo(ProviderEvents.Outcome.PAID);
        assertThat(providerEvents.apply(paid).block(Duration.ofSeconds(10)))
                .isEqualTo(ProviderEvents.Outcome.ALREADY_DONE);
        assertThat(events(sub, "payment-succeeded")).hasSize(1);
        assertThat(count("SELECT count(*) FROM payments WHERE idempotency_key = :k", Map.of("k", key)))
                .isEqualTo(1);
    }
}
