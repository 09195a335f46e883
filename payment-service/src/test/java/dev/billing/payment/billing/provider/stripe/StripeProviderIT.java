package dev.billing.payment.billing.provider.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.billing.payment.StripeIT;
import dev.billing.payment.billing.application.PaymentProvider;
import dev.billing.payment.billing.application.ProviderReconciler;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class StripeProviderIT extends StripeIT {

    @Autowired
    ProviderReconciler reconciler;

    @Autowired
    PaymentProvider provider;

    private static final String CHECKOUT_URL = "https://checkout.stripe.test/c/pay/cs_test_1";

    /** Stripe answers a checkout session with our expiry (what Stripe echoes back), in seconds. */
    private long stripeExpiry() {
        return clock.instant().plus(Duration.ofHours(23)).getEpochSecond();
    }

    private void stubCheckout(String id) {
        stub(
                post(urlPathEqualTo("/v1/checkout/sessions")),
                "checkout_session",
                Map.of("id", id, "url", "https://checkout.stripe.test/c/pay/" + id, "expires_at", stripeExpiry()));
    }

    /** subscription-created (INCOMPLETE, 1999 USD monthly) for a plan of its own, so prices start empty. */
    private String created(UUID sub, UUID user, UUID plan) {
        return subscriptionCreated(sub, user, "INCOMPLETE", 1999, e -> {
            var data = (ObjectNode) e.get("data");
            data.put("planId", plan.toString());
            data.put("userEmail", "payer@example.com");
        });
    }

    private String callStatus(String key) {
        return db.sql("SELECT status FROM provider_calls WHERE idempotency_key = :k")
                .bind("k", key)
                .map(r -> r.get("status", String.class))
                .one()
                .block(Duration.ofSeconds(10));
    }

    private void awaitCall(String keyPrefix, String status) {
        await(
                () -> count(
                                "SELECT count(*) FROM provider_calls WHERE idempotency_key LIKE :k AND status = :s",
                                Map.of("k", keyPrefix + "%", "s", status))
                        > 0,
                keyPrefix + " " + status);
    }

    @Test
    void aCheckoutIsAStripeSessionInSubscriptionModeAndTheCustomerIsMadeOncePerUser() {
        stubCheckout("cs_test_1");
        UUID sub = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        UUID plan = UUID.randomUUID();
        publish("subscription-created", sub.toString(), created(sub, user, plan));

        JsonNode data =
                awaitEvent(sub, "checkout-session-created", 1).getFirst().get("data");
        UUID session = UUID.fromString(data.get("checkoutSessionId").asString());
        assertThat(data.get("url").asString()).isEqualTo(CHECKOUT_URL);
        assertThat(Instant.parse(data.get("expiresAt").asString())).isEqualTo(Instant.ofEpochSecond(stripeExpiry()));
        assertThat(count(
                        "SELECT count(*) FROM checkout_sessions WHERE id = :id AND provider_reference = 'cs_test_1'",
                        Map.of("id", session)))
                .isEqualTo(1);

        List<LoggedRequest> customers = requests("POST", "/v1/customers");
        assertThat(customers).hasSize(1);
        assertThat(customers.getFirst().getHeader("Idempotency-Key")).isEqualTo("customer:" + user);
        assertThat(form(customers.getFirst()))
                .containsEntry("metadata[user_id]", user.toString())
                .containsEntry("email", "payer@example.com");

        // the plan's product and price were made on the fly (plan-published not seen for this plan)
        assertThat(form(requests("POST", "/v1/products").getFirst()))
                .containsEntry("metadata[plan_id]", plan.toString());
        assertThat(form(requests("POST", "/v1/prices").getFirst()))
                .containsEntry("unit_amount", "1999")
                .containsEntry("currency", "usd")
                .containsEntry("recurring[interval]", "month");

        List<LoggedRequest> checkouts = requests("POST", "/v1/checkout/sessions");
        assertThat(checkouts).hasSize(1);
        assertThat(checkouts.getFirst().getHeader("Idempotency-Key")).isEqualTo("checkout:" + session);
        assertThat(form(checkouts.getFirst()))
                .containsEntry("mode", "subscription")
                .containsEntry("customer", "cus_test_1")
                .containsEntry("client_reference_id", sub.toString())
                .containsEntry("line_items[0][price]", priceId)
                .containsEntry("line_items[0][quantity]", "1")
                .containsEntry("metadata[subscription_id]", sub.toString())
                .containsEntry("metadata[checkout_session_id]", session.toString())
                .containsEntry("metadata[user_id]", user.toString())
                .containsEntry("subscription_data[metadata][subscription_id]", sub.toString())
                .containsEntry("subscription_data[metadata][checkout_session_id]", session.toString())
                .containsEntry("subscription_data[metadata][user_id]", user.toString())
                .containsEntry("success_url", "http://gateway.test/checkout/success?session_id={CHECKOUT_SESSION_ID}")
                .containsEntry("cancel_url", "http://gateway.test/checkout/canceled")
                .containsKey("expires_at");

        var onKafka = dev.billing.platform.test.TopicReader.readUntil(
                "checkout-session-created",
                read -> read.stream().anyMatch(r -> r.key().equals(sub.toString())),
                Duration.ofSeconds(30));
        assertThat(onKafka).filteredOn(r -> r.key().equals(sub.toString())).anyMatch(r -> r.value()
                .contains(CHECKOUT_URL));

        // a second subscription of the same user reuses the customer (and the recorded price)
        stubCheckout("cs_test_2");
        UUID second = UUID.randomUUID();
        publish("subscription-created", second.toString(), created(second, user, plan));
        awaitEvent(second, "checkout-session-created", 1);
        assertThat(requests("POST", "/v1/customers")).hasSize(1);
        assertThat(requests("POST", "/v1/prices")).hasSize(1);
        assertThat(requests("POST", "/v1/checkout/sessions")).hasSize(2);
        assertThat(form(requests("POST", "/v1/checkout/sessions").get(1))).containsEntry("customer", "cus_test_1");
    }

    @Test
    void aTrialStartsTheStripeSubscriptionWithTrialEnd() {
        stubCheckout("cs_test_trial");
        UUID sub = UUID.randomUUID();
        Instant trialEnd = clock.instant().plus(Duration.ofDays(14)).truncatedTo(ChronoUnit.SECONDS);
        publish(
                "subscription-created",
                sub.toString(),
                subscriptionCreated(sub, UUID.randomUUID(), "TRIALING", 1999, e -> {
                    var data = (ObjectNode) e.get("data");
                    data.put("planId", UUID.randomUUID().toString());
                    data.put("currentPeriodStart", clock.instant().toString());
                    data.put("currentPeriodEnd", trialEnd.toString());
                }));
        awaitEvent(sub, "checkout-session-created", 1);
        assertThat(form(requests("POST", "/v1/checkout/sessions").getFirst()))
                .containsEntry("mode", "subscription")
                .containsEntry("subscription_data[trial_end]", Long.toString(trialEnd.getEpochSecond()));
    }

    @Test
    void planPublishedMakesAProductAndAPriceAndAPriceChangeANewPrice() {
        UUID plan = UUID.randomUUID();
        publish("plan-published", plan.toString(), plan(plan, 3, 1, 1999));
        await(() -> count("SELECT count(*) FROM stripe_prices WHERE plan_id = :p", Map.of("p", plan)) == 1, "price");
        LoggedRequest product = requests("POST", "/v1/products").getFirst();
        assertThat(product.getHeader("Idempotency-Key")).isEqualTo("product:" + plan);
        assertThat(form(product))
                .containsEntry("metadata[plan_id]", plan.toString())
                .containsEntry("name", "Premium");
        LoggedRequest price = requests("POST", "/v1/prices").getFirst();
        assertThat(price.getHeader("Idempotency-Key")).isEqualTo("price:" + plan + ":1");
        assertThat(form(price))
                .containsEntry("product", productId)
                .containsEntry("unit_amount", "1999")
                .containsEntry("currency", "usd")
                .containsEntry("recurring[interval]", "month")
                .containsEntry("recurring[interval_count]", "1")
                .containsEntry("metadata[price_version]", "1");

        // a price change: a new Price on the same product, the old one closed to new sign-ups
        String second = "price_v2_" + UUID.randomUUID().toString().replace("-", "");
        stub(post(urlPathEqualTo("/v1/prices")), "price", Map.of("id", second));
        publish("plan-published", plan.toString(), plan(plan, 4, 2, 2499));
        await(
                () -> count(
                                "SELECT count(*) FROM stripe_prices WHERE plan_id = :p AND price_version = 2"
                                        + " AND stripe_price_id = :price AND active",
                                Map.of("p", plan, "price", second))
                        == 1,
                "new price");
        await(
                () -> count(
                                "SELECT count(*) FROM stripe_prices WHERE plan_id = :p AND price_version = 1 AND NOT active",
                                Map.of("p", plan))
                        == 1,
                "old price inactive");
        assertThat(requests("POST", "/v1/products")).hasSize(1);
        assertThat(form(requests("POST", "/v1/prices").get(1))).containsEntry("unit_amount", "2499");
        LoggedRequest deactivate = requests("POST", "/v1/prices/" + priceId).getFirst();
        assertThat(form(deactivate)).containsEntry("active", "false");

        // a redelivered older version creates nothing
        publish("plan-published", plan.toString(), plan(plan, 3, 1, 1999));
        // archived: the product and its active price closed
        var archived =
                (ObjectNode) JSON.readTree(dev.billing.platform.test.contracts.EventSchemas.example("plan-archived"));
        archived.put("id", UUID.randomUUID().toString());
        archived.put("subject", plan.toString());
        ((ObjectNode) archived.get("data")).put("id", plan.toString());
        publish("plan-archived", plan.toString(), JSON.writeValueAsString(archived));
        await(
                () -> count("SELECT count(*) FROM plans WHERE id = :p AND status = 'ARCHIVED'", Map.of("p", plan)) == 1,
                "archived");
        assertThat(form(requests("POST", "/v1/products/" + productId).getFirst()))
                .containsEntry("active", "false");
        assertThat(form(requests("POST", "/v1/prices/" + second).getFirst())).containsEntry("active", "false");
        assertThat(requests("POST", "/v1/prices")).hasSize(2);
        assertThat(count("SELECT count(*) FROM stripe_prices WHERE plan_id = :p AND active", Map.of("p", plan)))
                .isZero();
    }

    private String plan(UUID id, long version, int priceVersion, long amount) {
        var envelope =
                (ObjectNode) JSON.readTree(dev.billing.platform.test.contracts.EventSchemas.example("plan-published"));
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("subject", id.toString());
        envelope.put("aggregateversion", version);
        var data = (ObjectNode) envelope.get("data");
        data.put("id", id.toString());
        data.put("amount", amount);
        data.put("priceVersion", priceVersion);
        return JSON.writeValueAsString(envelope);
    }

    /** A subscription whose checkout completed: the webhook side's mapping row. */
    private UUID mappedSubscription(UUID user, String stripeId) {
        stubCheckout("cs_" + UUID.randomUUID().toString().replace("-", ""));
        UUID sub = UUID.randomUUID();
        publish("subscription-created", sub.toString(), created(sub, user, UUID.randomUUID()));
        awaitEvent(sub, "checkout-session-created", 1);
        db.sql("INSERT INTO stripe_subscriptions (subscription_id, stripe_subscription_id, stripe_customer_id, status,"
                        + " created_at, updated_at) VALUES (:s, :id, 'cus_test_1', 'active', now(), now())")
                .bind("s", sub)
                .bind("id", stripeId)
                .then()
                .block(Duration.ofSeconds(10));
        return sub;
    }

    private String subscriptionEvent(
            String type, UUID sub, UUID user, long version, boolean atPeriodEnd, String status) {
        var envelope = (ObjectNode) JSON.readTree(dev.billing.platform.test.contracts.EventSchemas.example(type));
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("subject", sub.toString());
        envelope.put("aggregateversion", version);
        var data = (ObjectNode) envelope.get("data");
        data.put("subscriptionId", sub.toString());
        data.put("userId", user.toString());
        data.put("cancelAtPeriodEnd", atPeriodEnd);
        data.put("status", status);
        return JSON.writeValueAsString(envelope);
    }

    @Test
    void cancelAtPeriodEndResumeAndCancelNowGoToTheMappedStripeSubscription() {
        UUID user = UUID.randomUUID();
        UUID sub = mappedSubscription(user, "sub_mapped_1");

        String cancel = subscriptionEvent("subscription-canceled", sub, user, 5, true, "ACTIVE");
        publish("subscription-canceled", sub.toString(), cancel);
        // the same event delivered again: nothing more at Stripe
        publish("subscription-canceled", sub.toString(), cancel);
        awaitCall("cancel-at-period-end:" + sub, "SUCCEEDED");
        await(
                () -> count(
                                "SELECT count(*) FROM inbox WHERE event_id = :id",
                                Map.of(
                                        "id",
                                        UUID.fromString(
                                                JSON.readTree(cancel).get("id").asString())))
                        == 1,
                "seen");
        List<LoggedRequest> updates = requests("POST", "/v1/subscriptions/sub_mapped_1");
        assertThat(updates).hasSize(1);
        assertThat(updates.getFirst().getHeader("Idempotency-Key")).isEqualTo("cancel-at-period-end:" + sub + ":5");
        assertThat(form(updates.getFirst())).containsEntry("cancel_at_period_end", "true");

        publish(
                "subscription-resumed",
                sub.toString(),
                subscriptionEvent("subscription-resumed", sub, user, 6, false, "ACTIVE"));
        awaitCall("resume:" + sub, "SUCCEEDED");
        updates = requests("POST", "/v1/subscriptions/sub_mapped_1");
        assertThat(updates).hasSize(2);
        assertThat(updates.get(1).getHeader("Idempotency-Key")).isEqualTo("resume:" + sub + ":6");
        assertThat(form(updates.get(1))).containsEntry("cancel_at_period_end", "false");

        publish(
                "subscription-canceled",
                sub.toString(),
                subscriptionEvent("subscription-canceled", sub, user, 7, false, "CANCELED"));
        awaitCall("cancel-now:" + sub, "SUCCEEDED");
        List<LoggedRequest> cancels = requests("DELETE", "/v1/subscriptions/sub_mapped_1");
        assertThat(cancels).hasSize(1);
        assertThat(cancels.getFirst().getHeader("Idempotency-Key")).isEqualTo("cancel-now:" + sub + ":7");
    }

    @Test
    void aPlanChangeMovesTheStripeItemToTheNewPriceProratedOrFromTheNextPeriod() {
        UUID user = UUID.randomUUID();
        UUID sub = mappedSubscription(user, "sub_mapped_2");
        UUID newPlan = UUID.randomUUID();
        String upgrade = "price_up_" + UUID.randomUUID().toString().replace("-", "");
        stub(post(urlPathEqualTo("/v1/prices")), "price", Map.of("id", upgrade));

        var envelope = (ObjectNode)
                JSON.readTree(dev.billing.platform.test.contracts.EventSchemas.example("subscription-plan-changed"));
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("subject", sub.toString());
        envelope.put("aggregateversion", 4);
        var data = (ObjectNode) envelope.get("data");
        data.put("subscriptionId", sub.toString());
        data.put("userId", user.toString());
        data.put("planId", newPlan.toString());
        data.put("amount", 2999);
        data.put("proration", true);
        data.put("prorationCredit", 500);
        data.put("prorationCharge", 1000);
        publish("subscription-plan-changed", sub.toString(), JSON.writeValueAsString(envelope));
        awaitCall("change-plan:" + sub, "SUCCEEDED");

        LoggedRequest update =
                requests("POST", "/v1/subscriptions/sub_mapped_2").getFirst();
        assertThat(update.getHeader("Idempotency-Key")).isEqualTo("change-plan:" + sub + ":4");
        assertThat(form(update))
                .containsEntry("items[0][id]", "si_QXhVnC2h0Jczwc")
                .containsEntry("items[0][price]", upgrade)
                .containsEntry("proration_behavior", "always_invoice");
        // a change without proration (a downgrade): the new price from the next period
        String downgrade = "price_down_" + UUID.randomUUID().toString().replace("-", "");
        stub(post(urlPathEqualTo("/v1/prices")), "price", Map.of("id", downgrade));
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("aggregateversion", 5);
        data.put("priceVersion", 7);
        data.put("amount", 999);
        data.put("proration", false);
        data.put("prorationCredit", 0);
        data.put("prorationCharge", 0);
        publish("subscription-plan-changed", sub.toString(), JSON.writeValueAsString(envelope));
        awaitCall("change-plan:" + sub + ":5", "SUCCEEDED");
        LoggedRequest later = requests("POST", "/v1/subscriptions/sub_mapped_2").get(1);
        assertThat(form(later)).containsEntry("items[0][price]", downgrade).containsEntry("proration_behavior", "none");

        // Stripe invoices the proration: no invoice of our own for the renewal job to charge
        assertThat(count(
                        "SELECT count(*) FROM invoices WHERE subscription_id = :s AND billing_reason = 'SUBSCRIPTION_UPDATE'",
                        Map.of("s", sub)))
                .isZero();
    }

    @Test
    void aCancelBeforeTheCheckoutCompletedExpiresTheStripeSession() {
        stubCheckout("cs_unpaid_1");
        UUID sub = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        publish("subscription-created", sub.toString(), created(sub, user, UUID.randomUUID()));
        awaitEvent(sub, "checkout-session-created", 1);
        publish(
                "subscription-canceled",
                sub.toString(),
                subscriptionEvent("subscription-canceled", sub, user, 3, false, "CANCELED"));
        awaitCall("cancel-now:" + sub, "SUCCEEDED");
        assertThat(requests("POST", "/v1/checkout/sessions/cs_unpaid_1/expire")).hasSize(1);
        assertThat(requests("DELETE", "/v1/subscriptions/sub_test_1")).isEmpty();
        await(
                () -> count(
                                "SELECT count(*) FROM checkout_sessions WHERE subscription_id = :s AND status = 'EXPIRED'",
                                Map.of("s", sub))
                        == 1,
                "expired");
    }

    @Test
    void aStripe500IsRetriedWithTheSameKeyAndThenSucceeds() {
        stubCheckout("cs_test_retry");
        STRIPE.stubFor(post(urlPathEqualTo("/v1/customers"))
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(stripeError(500, "api_error", null, "Something went wrong"))
                .willSetStateTo("recovered"));
        STRIPE.stubFor(post(urlPathEqualTo("/v1/customers"))
                .inScenario("flaky")
                .whenScenarioStateIs("recovered")
                .willReturn(json(fixture("customer", Map.of("id", "cus_after_retry")))));
        UUID sub = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        publish("subscription-created", sub.toString(), created(sub, user, UUID.randomUUID()));
        awaitEvent(sub, "checkout-session-created", 1);

        List<LoggedRequest> customers = requests("POST", "/v1/customers");
        assertThat(customers).hasSize(2);
        assertThat(customers).allMatch(r -> ("customer:" + user).equals(r.getHeader("Idempotency-Key")));
        assertThat(count(
                        "SELECT count(*) FROM customers WHERE user_id = :u AND provider_reference = 'cus_after_retry'",
                        Map.of("u", user)))
                .isEqualTo(1);
    }

    @Test
    void aStripe400IsNotRetriedAndIsRecordedWithStripesMessage() {
        STRIPE.stubFor(post(urlPathEqualTo("/v1/checkout/sessions"))
                .willReturn(stripeError(
                        400, "invalid_request_error", "resource_missing", "No such price: 'price_missing'")));
        UUID sub = UUID.randomUUID();
        publish("subscription-created", sub.toString(), created(sub, UUID.randomUUID(), UUID.randomUUID()));
        awaitCall("checkout:", "FAILED");
        await(
                () -> count("SELECT count(*) FROM subscriptions WHERE id = :s", Map.of("s", sub)) == 1,
                "subscription known");

        assertThat(requests("POST", "/v1/checkout/sessions")).hasSize(1);
        String error = db.sql("SELECT error FROM provider_calls WHERE subscription_id = :s AND operation = 'CHECKOUT'")
                .bind("s", sub)
                .map(r -> r.get("error", String.class))
                .one()
                .block(Duration.ofSeconds(10));
        assertThat(error).contains("HTTP 400").contains("resource_missing").contains("No such price");
        assertThat(events(sub, "checkout-session-created")).isEmpty();
    }

    @Test
    void aTimedOutCheckoutIsUnknownUntilTheReconcilerFindsItAtStripe() {
        // slower than the 1 s read timeout: stripe-java gives up after its retries, the outcome is unknown
        STRIPE.stubFor(post(urlPathEqualTo("/v1/checkout/sessions"))
                .willReturn(json(fixture("checkout_session", Map.of("id", "cs_slow", "url", CHECKOUT_URL)))
                        .withFixedDelay(1500)));
        UUID sub = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        publish("subscription-created", sub.toString(), created(sub, user, UUID.randomUUID()));
        await(
                () -> count(
                                "SELECT count(*) FROM provider_calls WHERE subscription_id = :s AND status = 'UNKNOWN'",
                                Map.of("s", sub))
                        == 1,
                "unknown");
        await(
                () -> count("SELECT count(*) FROM subscriptions WHERE id = :s", Map.of("s", sub)) == 1,
                "subscription known");
        int sent = requests("POST", "/v1/checkout/sessions").size();
        assertThat(sent).isEqualTo(3); // the first try and stripe-java's two retries, one key
        assertThat(requests("POST", "/v1/checkout/sessions"))
                .extracting(r -> r.getHeader("Idempotency-Key"))
                .containsOnly(
                        requests("POST", "/v1/checkout/sessions").getFirst().getHeader("Idempotency-Key"));
        assertThat(events(sub, "checkout-session-created")).isEmpty();

        // not due yet: the reconciler leaves it
        StepVerifier.create(reconciler.runOnce()).expectNext(0).verifyComplete();

        // Stripe did make it: the customer's sessions list it with our session id
        UUID session = db.sql(
                        "SELECT session_id FROM provider_calls WHERE subscription_id = :s AND operation = 'CHECKOUT'")
                .bind("s", sub)
                .map(r -> r.get("session_id", UUID.class))
                .one()
                .block(Duration.ofSeconds(10));
        ObjectNode made = fixture(
                "checkout_session",
                Map.of(
                        "id",
                        "cs_slow",
                        "url",
                        CHECKOUT_URL,
                        "expires_at",
                        stripeExpiry(),
                        "metadata",
                        Map.of("checkout_session_id", session.toString(), "subscription_id", sub.toString())));
        STRIPE.stubFor(get(urlPathEqualTo("/v1/checkout/sessions")).willReturn(json(list("list", made))));
        clock.advance(Duration.ofMinutes(2));
        StepVerifier.create(reconciler.runOnce()).expectNext(1).verifyComplete();

        JsonNode data = events(sub, "checkout-session-created").getFirst().get("data");
        assertThat(data.get("url").asString()).isEqualTo(CHECKOUT_URL);
        assertThat(data.get("checkoutSessionId").asString()).isEqualTo(session.toString());
        assertThat(requests("GET", "/v1/checkout/sessions")
                        .getFirst()
                        .getQueryParams()
                        .get("customer")
                        .firstValue())
                .isEqualTo("cus_test_1");
        assertThat(requests("POST", "/v1/checkout/sessions")).hasSize(sent); // nothing re-sent
        assertThat(callStatus("checkout:" + session)).isEqualTo("SUCCEEDED");

        // settled: a later pass has nothing to do
        clock.advance(Duration.ofHours(1));
        StepVerifier.create(reconciler.runOnce()).expectNext(0).verifyComplete();
    }

    @Test
    void whenStripeHasNothingTheReconcilerReissuesTheCallWithTheSameKey() {
        STRIPE.stubFor(post(urlPathEqualTo("/v1/customers"))
                .willReturn(stripeError(503, "api_error", null, "Service unavailable")));
        stubCheckout("cs_after_reconcile");
        UUID sub = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        publish("subscription-created", sub.toString(), created(sub, user, UUID.randomUUID()));
        awaitCall("customer:" + user, "UNKNOWN");
        assertThat(requests("POST", "/v1/customers")).hasSize(3);

        stub(post(urlPathEqualTo("/v1/customers")), "customer", Map.of("id", "cus_reissued"));
        clock.advance(Duration.ofMinutes(2));
        StepVerifier.create(reconciler.runOnce()).expectNext(1).verifyComplete();

        assertThat(requests("GET", "/v1/customers/search")).hasSize(1);
        List<LoggedRequest> customers = requests("POST", "/v1/customers");
        assertThat(customers).hasSize(4);
        assertThat(customers).allMatch(r -> ("customer:" + user).equals(r.getHeader("Idempotency-Key")));
        // and the subscription's checkout followed, as subscription-created would have made it
        assertThat(events(sub, "checkout-session-created")).hasSize(1);
        assertThat(form(requests("POST", "/v1/checkout/sessions").getFirst()))
                .containsEntry("customer", "cus_reissued");
    }

    @Test
    void repeatedStripeFailuresOpenTheCircuitBreakerAndCallsFailFast() {
        STRIPE.stubFor(post(urlPathEqualTo("/v1/customers"))
                .willReturn(stripeError(503, "api_error", null, "Service unavailable")));
        for (int i = 0; i < 4; i++) {
            StepVerifier.create(provider.createCustomer(UUID.randomUUID(), null, "customer:cb-" + i))
                    .expectError(PaymentProvider.OutcomeUnknown.class)
                    .verify(Duration.ofSeconds(30));
        }
        assertThat(stripeCircuitBreaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        int sent = requests("POST", "/v1/customers").size();
        assertThat(sent).isEqualTo(12);

        StepVerifier.create(provider.createCustomer(UUID.randomUUID(), null, "customer:cb-open"))
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(PaymentProvider.OutcomeUnknown.class)
                        .hasMessageContaining("circuit breaker open"))
                .verify(Duration.ofSeconds(10));
        assertThat(requests("POST", "/v1/customers")).hasSize(sent);
    }

    @Test
    void aRefusalDoesNotOpenTheCircuitBreaker() {
        STRIPE.stubFor(post(urlPathEqualTo("/v1/customers"))
                .willReturn(stripeError(400, "invalid_request_error", "email_invalid", "Invalid email address")));
        for (int i = 0; i < 5; i++) {
            StepVerifier.create(provider.createCustomer(UUID.randomUUID(), "nope", "customer:bad-" + i))
                    .expectError(PaymentProvider.Rejected.class)
                    .verify(Duration.ofSeconds(10));
        }
        assertThat(stripeCircuitBreaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(requests("POST", "/v1/customers")).hasSize(5);
    }

    @Test
    void theBillingPortalIsAStripeSessionForTheCallersCustomer() {
        stubCheckout("cs_portal");
        UUID user = UUID.randomUUID();
        http().post()
                .uri("/api/v1/billing-portal")
                .header("Authorization", "Bearer " + token(user))
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentTypeCompatibleWith("application/problem+json");

        UUID sub = UUID.randomUUID();
        publish("subscription-created", sub.toString(), created(sub, user, UUID.randomUUID()));
        awaitEvent(sub, "checkout-session-created", 1);
        JsonNode body = JSON.readTree(http().post()
                .uri("/api/v1/billing-portal")
                .header("Authorization", "Bearer " + token(user))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody());
        assertThat(body.get("url").asString()).isEqualTo("https://billing.stripe.test/p/session/test_1");
        assertThat(form(requests("POST", "/v1/billing_portal/sessions").getFirst()))
                .containsEntry("customer", "cus_test_1")
                .containsEntry("return_url", "http://gateway.test/");

        // cards live at Stripe: the card endpoint points to the portal
        http().post()
                .uri("/api/v1/payments/me/card")
                .header("Authorization", "Bearer " + token(user))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("card", GOOD_CARD))
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectBody(String.class)
                .value(problem -> assertThat(problem).contains("billing-portal"));
    }

    @Autowired
    dev.billing.payment.billing.persistence.BillingStore store;

    /** A paid subscription as the webhook side records it: an invoice and a payment on a PaymentIntent. */
    private UUID stripePayment(String paymentIntent) {
        UUID user = UUID.randomUUID();
        UUID sub =
                mappedSubscription(user, "sub_" + UUID.randomUUID().toString().replace("-", ""));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        UUID invoice = UUID.randomUUID();
        UUID payment = UUID.randomUUID();
        store.nextInvoiceNumber()
                .flatMap(number -> store.insertInvoice(new dev.billing.payment.billing.persistence.Rows.InvoiceRow(
                        invoice,
                        number,
                        sub,
                        user,
                        "SUBSCRIPTION_CREATE",
                        now,
                        now.plus(Duration.ofDays(30)),
                        "[]",
                        1999,
                        1999,
                        "USD",
                        "PAID",
                        1,
                        null,
                        now,
                        now)))
                .then(store.insertPayment(
                        new dev.billing.payment.billing.persistence.Rows.PaymentRow(
                                payment,
                                invoice,
                                sub,
                                user,
                                1999,
                                "USD",
                                "SUCCEEDED",
                                1,
                                "stripe:" + paymentIntent,
                                paymentIntent,
                                null,
                                null,
                                0,
                                now),
                        now))
                .block(Duration.ofSeconds(10));
        return payment;
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec refund(
            UUID payment, String key, long amount) {
        return http().post()
                .uri("/api/v1/payments/{id}/refunds", payment)
                .header("Authorization", "Bearer " + token(UUID.randomUUID(), "ADMIN"))
                .header("Idempotency-Key", key)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("amount", amount, "reason", "DUPLICATE"))
                .exchange();
    }

    private List<JsonNode> refundEvents(UUID payment) {
        UUID sub = db.sql("SELECT subscription_id FROM payments WHERE id = :p")
                .bind("p", payment)
                .map(r -> r.get("subscription_id", UUID.class))
                .one()
                .block(Duration.ofSeconds(10));
        return events(sub, "refund-issued");
    }

    private long refunded(UUID payment) {
        return count("SELECT refunded_amount FROM payments WHERE id = :p", Map.of("p", payment));
    }

    @Test
    void aRefundIsAStripeRefundOnThePaymentIntentOncePerKey() {
        UUID payment = stripePayment("pi_refund_1");
        refund(payment, "k1", 500).expectStatus().isCreated();
        refund(payment, "k1", 500).expectStatus().isOk();

        List<LoggedRequest> refunds = requests("POST", "/v1/refunds");
        assertThat(refunds).hasSize(1);
        assertThat(refunds.getFirst().getHeader("Idempotency-Key")).isEqualTo("refund:" + payment + ":k1");
        assertThat(form(refunds.getFirst()))
                .containsEntry("payment_intent", "pi_refund_1")
                .containsEntry("amount", "500")
                .containsEntry("reason", "duplicate");
        assertThat(refunded(payment)).isEqualTo(500);
        assertThat(count(
                        "SELECT count(*) FROM refunds WHERE payment_id = :p AND status = 'SUCCEEDED'"
                                + " AND provider_reference = 're_test_1'",
                        Map.of("p", payment)))
                .isEqualTo(1);
        assertThat(refundEvents(payment)).hasSize(1);
        assertThat(refundEvents(payment).getFirst().get("data").get("amount").asLong())
                .isEqualTo(500);
    }

    @Test
    void aRefundStripeRefusesIs409AndReleasesTheReservation() {
        UUID payment = stripePayment("pi_refund_2");
        STRIPE.stubFor(post(urlPathEqualTo("/v1/refunds"))
                .willReturn(stripeError(
                        400, "invalid_request_error", "charge_already_refunded", "Charge has already been refunded.")));
        refund(payment, "k2", 500)
                .expectStatus()
                .isEqualTo(409)
                .expectBody(String.class)
                .value(problem -> assertThat(problem).contains("charge_already_refunded"));
        assertThat(requests("POST", "/v1/refunds")).hasSize(1);
        assertThat(refunded(payment)).isZero();
        assertThat(count("SELECT count(*) FROM refunds WHERE payment_id = :p", Map.of("p", payment)))
                .isZero();
    }

    @Test
    void aRefundWithoutAnswerIsUnknownAndTheReconcilerCompletesIt() {
        UUID payment = stripePayment("pi_refund_3");
        STRIPE.stubFor(post(urlPathEqualTo("/v1/refunds"))
                .willReturn(json(fixture("refund", Map.of("id", "re_slow"))).withFixedDelay(1500)));
        refund(payment, "k3", 700).expectStatus().isEqualTo(503);
        assertThat(refunded(payment)).isEqualTo(700); // reserved: a parallel refund cannot take it
        assertThat(refundEvents(payment)).isEmpty();
        assertThat(count(
                        "SELECT count(*) FROM refunds WHERE payment_id = :p AND status = 'UNKNOWN'",
                        Map.of("p", payment)))
                .isEqualTo(1);
        int sent = requests("POST", "/v1/refunds").size();

        stub(post(urlPathEqualTo("/v1/refunds")), "refund", Map.of("id", "re_slow"));
        clock.advance(Duration.ofMinutes(2));
        StepVerifier.create(reconciler.runOnce()).expectNextMatches(n -> n >= 1).verifyComplete();

        assertThat(count(
                        "SELECT count(*) FROM refunds WHERE payment_id = :p AND status = 'SUCCEEDED'"
                                + " AND provider_reference = 're_slow'",
                        Map.of("p", payment)))
                .isEqualTo(1);
        assertThat(refunded(payment)).isEqualTo(700);
        List<LoggedRequest> refunds = requests("POST", "/v1/refunds");
        assertThat(refunds).hasSize(sent + 1);
        assertThat(refunds).allMatch(r -> ("refund:" + payment + ":k3").equals(r.getHeader("Idempotency-Key")));
        // a retry by the admin now answers the completed refund
        refund(payment, "k3", 700).expectStatus().isOk();
        assertThat(requests("POST", "/v1/refunds")).hasSize(sent + 1);
        assertThat(refundEvents(payment)).hasSize(1);
    }

    @Test
    void stripeModeLeavesRenewalsToStripe() {
        assertThat(provider.renewalsChargedByUs()).isFalse();
        assertThat(provider).isInstanceOf(StripePaymentProvider.class);
    }
}
