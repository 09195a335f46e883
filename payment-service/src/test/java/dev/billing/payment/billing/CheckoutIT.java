package dev.billing.payment.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.payment.PaymentIT;
import dev.billing.platform.test.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

class CheckoutIT extends PaymentIT {

    @Test
    void aNewPaidSubscriptionGetsOneCheckoutSessionOnKafka() {
        UUID sub = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        Instant before = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        UUID session = subscribe(sub, user);

        JsonNode data = events(sub, "checkout-session-created").getFirst().get("data");
        assertThat(data.get("url").asString()).isEqualTo("http://gateway.test/checkout/" + session);
        assertThat(data.get("userId").asString()).isEqualTo(user.toString());
        assertThat(Instant.parse(data.get("expiresAt").asString())).isEqualTo(before.plus(Duration.ofHours(23)));

        var onKafka = TopicReader.readUntil(
                "checkout-session-created",
                read -> read.stream().anyMatch(r -> r.key().equals(sub.toString())),
                Duration.ofSeconds(30));
        assertThat(onKafka).anyMatch(r -> r.key().equals(sub.toString()));
    }

    @Test
    void aDuplicatedSubscriptionCreatedMakesOneSessionAndOneCustomerPerUser() {
        UUID sub = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        String envelope = subscriptionCreated(sub, user, "INCOMPLETE", 1999, e -> {});
        publish("subscription-created", sub.toString(), envelope);
        publish("subscription-created", sub.toString(), envelope);
        // the same change re-published under a new event id
        publish("subscription-created", sub.toString(), subscriptionCreated(sub, user, "INCOMPLETE", 1999, e -> {}));
        UUID other = UUID.randomUUID();
        subscribe(other, user);

        assertThat(events(sub, "checkout-session-created")).hasSize(1);
        assertThat(count("SELECT count(*) FROM checkout_sessions WHERE subscription_id = :s", Map.of("s", sub)))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM customers WHERE user_id = :u", Map.of("u", user)))
                .isEqualTo(1);
    }

    @org.springframework.beans.factory.annotation.Autowired
    dev.billing.payment.billing.application.Renewals renewals;

    @Test
    void thePlanReadModelKeepsTheNewestVersionAndArchives() {
        UUID plan = UUID.randomUUID();
        publish("plan-published", plan.toString(), plan(plan, 3, "Premium", 1999));
        String stale = plan(plan, 2, "Premium (old)", 1799);
        UUID staleId = UUID.fromString(JSON.readTree(stale).get("id").asString());
        publish("plan-published", plan.toString(), stale);
        await(() -> count("SELECT count(*) FROM inbox WHERE event_id = :id", Map.of("id", staleId)) == 1, "stale seen");
        assertThat(count(
                        "SELECT count(*) FROM plans WHERE id = :p AND version = 3 AND amount = 1999",
                        Map.of("p", plan)))
                .isEqualTo(1);
        String newest = plan(plan, 4, "Premium", 2099);
        UUID newestId = UUID.fromString(JSON.readTree(newest).get("id").asString());
        publish("plan-published", plan.toString(), newest);
        await(() -> count("SELECT count(*) FROM inbox WHERE event_id = :id", Map.of("id", newestId)) == 1, "seen");
        assertThat(count(
                        "SELECT count(*) FROM plans WHERE id = :p AND version = 4 AND amount = 2099",
                        Map.of("p", plan)))
                .isEqualTo(1);

        var archived = (tools.jackson.databind.node.ObjectNode)
                JSON.readTree(dev.billing.platform.test.contracts.EventSchemas.example("plan-archived"));
        archived.put("id", UUID.randomUUID().toString());
        archived.put("subject", plan.toString());
        ((tools.jackson.databind.node.ObjectNode) archived.get("data")).put("id", plan.toString());
        publish("plan-archived", plan.toString(), JSON.writeValueAsString(archived));
        await(
                () -> count("SELECT count(*) FROM plans WHERE id = :p AND status = 'ARCHIVED'", Map.of("p", plan)) == 1,
                "archived");
    }

    private String plan(UUID id, long version, String name, long amount) {
        var envelope = (tools.jackson.databind.node.ObjectNode)
                JSON.readTree(dev.billing.platform.test.contracts.EventSchemas.example("plan-published"));
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("subject", id.toString());
        envelope.put("aggregateversion", version);
        var data = (tools.jackson.databind.node.ObjectNode) envelope.get("data");
        data.put("id", id.toString());
        data.put("name", name);
        data.put("amount", amount);
        return JSON.writeValueAsString(envelope);
    }

    @Test
    void aFreeSubscriptionGetsNoCheckout() {
        UUID free = UUID.randomUUID();
        publish(
                "subscription-created",
                free.toString(),
                subscriptionCreated(free, UUID.randomUUID(), "ACTIVE", 0, e -> {}));
        await(() -> count("SELECT count(*) FROM subscriptions WHERE id = :a", Map.of("a", free)) == 1, "known");
        assertThat(count("SELECT count(*) FROM checkout_sessions WHERE subscription_id = :a", Map.of("a", free)))
                .isZero();
        assertThat(events(free, "checkout-session-created")).isEmpty();
    }

    @Test
    void aTrialSavesTheCardWithoutChargingAndIsBilledAtTrialEnd() {
        UUID trial = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        Instant trialEnd = clock.instant().plus(Duration.ofDays(14)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        publish("subscription-created", trial.toString(), subscriptionCreated(trial, user, "TRIALING", 1999, e -> {
            var data = (tools.jackson.databind.node.ObjectNode) e.get("data");
            data.put("currentPeriodStart", clock.instant().toString());
            data.put("currentPeriodEnd", trialEnd.toString());
        }));
        UUID session = UUID.fromString(awaitEvent(trial, "checkout-session-created", 1)
                .getFirst()
                .get("data")
                .get("checkoutSessionId")
                .asString());
        http().get()
                .uri("/checkout/{id}", session)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(page -> assertThat(page).contains("Free until").contains("Start trial"));

        pay(session, DECLINED_CARD).expectStatus().isEqualTo(402);
        pay(session, GOOD_CARD).expectStatus().isOk();
        assertThat(events(trial, "checkout-completed")
                        .getFirst()
                        .get("data")
                        .get("paymentStatus")
                        .asString())
                .isEqualTo("NO_PAYMENT_REQUIRED");
        assertThat(events(trial, "payment-succeeded")).isEmpty();
        assertThat(events(trial, "payment-failed")).isEmpty();

        clock.set(trialEnd.plusSeconds(1));
        renewals.runOnce().block(Duration.ofSeconds(30));
        JsonNode first = events(trial, "payment-succeeded").getFirst().get("data");
        assertThat(first.get("billingReason").asString()).isEqualTo("SUBSCRIPTION_CYCLE");
        assertThat(first.get("periodStart").asString()).isEqualTo(trialEnd.toString());
        assertThat(Instant.parse(first.get("periodEnd").asString()))
                .isEqualTo(trialEnd.atOffset(java.time.ZoneOffset.UTC)
                        .plusMonths(1)
                        .toInstant());
    }

    @Test
    void theCheckoutPageShowsThePlanAndPriceEscaped() {
        UUID sub = UUID.randomUUID();
        publish(
                "subscription-created",
                sub.toString(),
                subscriptionCreated(
                        sub, UUID.randomUUID(), "INCOMPLETE", 1999, e -> ((tools.jackson.databind.node.ObjectNode)
                                        e.get("data"))
                                .put("planName", "Premium <script>alert(1)</script>")));
        UUID session = UUID.fromString(awaitEvent(sub, "checkout-session-created", 1)
                .getFirst()
                .get("data")
                .get("checkoutSessionId")
                .asString());

        String page = http().get()
                .uri("/checkout/{id}", session)
                .accept(MediaType.TEXT_HTML)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(page)
                .contains("Premium &lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>")
                .contains("19.99 USD")
                .contains("name=\"card\"")
                .contains("<button");
        http().get()
                .uri("/checkout/{id}", UUID.randomUUID())
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    @Test
    void aDeclinedCardKeepsTheSessionOpenAndAGoodCardPaysIt() {
        UUID sub = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        UUID session = subscribe(sub, user);

        pay(session, DECLINED_CARD)
                .expectStatus()
                .isEqualTo(402)
                .expectBody(String.class)
                .value(page -> assertThat(page).contains("declined"));
        JsonNode failed = events(sub, "payment-failed").getFirst().get("data");
        assertThat(failed.get("attemptCount").asInt()).isEqualTo(1);
        assertThat(failed.get("failureCode").asString()).isEqualTo("card_declined");
        assertThat(failed.get("nextRetryAt").isNull()).isTrue();
        assertThat(failed.get("billingReason").asString()).isEqualTo("SUBSCRIPTION_CREATE");

        pay(session, "1234").expectStatus().isBadRequest();

        Instant paidAt = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        pay(session, "4242 4242 4242 4242").expectStatus().isOk();
        JsonNode completed = events(sub, "checkout-completed").getFirst();
        assertThat(completed.get("data").get("paymentStatus").asString()).isEqualTo("PAID");
        JsonNode succeeded = events(sub, "payment-succeeded").getFirst();
        JsonNode paid = succeeded.get("data");
        assertThat(paid.get("amount").asLong()).isEqualTo(1999);
        assertThat(paid.get("billingReason").asString()).isEqualTo("SUBSCRIPTION_CREATE");
        assertThat(paid.get("periodStart").asString()).isEqualTo(paidAt.toString());
        assertThat(Instant.parse(paid.get("periodEnd").asString()))
                .isEqualTo(
                        paidAt.atOffset(java.time.ZoneOffset.UTC).plusMonths(1).toInstant());
        // our per-subscription counter orders the payment events
        assertThat(succeeded.get("aggregateversion").asLong())
                .isGreaterThan(completed.get("aggregateversion").asLong())
                .isGreaterThan(events(sub, "payment-failed")
                        .getFirst()
                        .get("aggregateversion")
                        .asLong());

        JsonNode invoices = getJson("/api/v1/invoices/me", token(user)).get("items");
        assertThat(invoices).hasSize(1);
        JsonNode invoice = invoices.get(0);
        assertThat(invoice.get("status").asString()).isEqualTo("PAID");
        assertThat(invoice.get("number").asString()).matches("INV-\\d{6,}");
        assertThat(invoice.get("total").asLong()).isEqualTo(1999);
        assertThat(invoice.get("lines")).hasSize(1);
        assertThat(invoice.get("id").asString()).isEqualTo(paid.get("invoiceId").asString());

        JsonNode payments = getJson("/api/v1/payments/me", token(user)).get("items");
        assertThat(payments).hasSize(2);
        assertThat(payments.get(0).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(payments.get(0).get("providerReference").asString()).startsWith("ch_sim_");
        assertThat(payments.get(1).get("status").asString()).isEqualTo("FAILED");

        // paid: the page and a second payment answer 409, and nothing more is emitted
        http().get().uri("/checkout/{id}", session).exchange().expectStatus().isEqualTo(409);
        pay(session, GOOD_CARD).expectStatus().isEqualTo(409);
        assertThat(events(sub, "payment-succeeded")).hasSize(1);
    }

    @Test
    void aDoubleSubmittedFormChargesOnce() throws Exception {
        UUID sub = UUID.randomUUID();
        UUID session = subscribe(sub, UUID.randomUUID());
        var statuses = java.util.Collections.synchronizedList(new java.util.ArrayList<Integer>());
        var threads = new java.util.ArrayList<Thread>();
        for (int i = 0; i < 3; i++) {
            threads.add(Thread.ofVirtual()
                    .start(() -> statuses.add(pay(session, GOOD_CARD)
                            .returnResult(String.class)
                            .getStatus()
                            .value())));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(statuses).containsExactlyInAnyOrder(200, 409, 409);
        assertThat(events(sub, "payment-succeeded")).hasSize(1);
        assertThat(count(
                        "SELECT count(*) FROM simulated_charges WHERE idempotency_key LIKE :k",
                        Map.of("k", "checkout:" + session + ":%")))
                .isEqualTo(1);
    }

    @Test
    void aDeclineAskedForAsJsonIsAProblemAndStillRecorded() {
        UUID sub = UUID.randomUUID();
        UUID session = subscribe(sub, UUID.randomUUID());
        http().post()
                .uri("/checkout/{id}", session)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.APPLICATION_JSON)
                .bodyValue("card=" + DECLINED_CARD)
                .exchange()
                .expectStatus()
                .isEqualTo(402)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(events(sub, "payment-failed")).hasSize(1);
    }

    @Test
    void anExpiredSessionAnswers410AsAPageOrAProblem() {
        UUID sub = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        UUID session = subscribe(sub, user);
        pay(session, DECLINED_CARD).expectStatus().isEqualTo(402);
        clock.advance(Duration.ofHours(23));

        http().get()
                .uri("/checkout/{id}", session)
                .accept(MediaType.TEXT_HTML)
                .exchange()
                .expectStatus()
                .isEqualTo(410);
        http().post()
                .uri("/checkout/{id}", session)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.APPLICATION_JSON)
                .bodyValue("card=" + GOOD_CARD)
                .exchange()
                .expectStatus()
                .isEqualTo(410)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(events(sub, "payment-succeeded")).isEmpty();

        // the job marks it expired and voids the invoice the declined attempt opened
        renewals.runOnce().block(Duration.ofSeconds(30));
        assertThat(getJson("/api/v1/invoices/me", token(user))
                        .get("items")
                        .get(0)
                        .get("status")
                        .asString())
                .isEqualTo("VOID");
        assertThat(count(
                        "SELECT count(*) FROM checkout_sessions WHERE id = :id AND status = 'EXPIRED'",
                        Map.of("id", session)))
                .isEqualTo(1);
    }
}
