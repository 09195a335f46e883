package dev.billing.payment.billing.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.billing.payment.billing.webhook.StripeFixtures.event;
import static dev.billing.payment.billing.webhook.StripeFixtures.eventId;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where the payload does not suffice, the processor asks Stripe (here WireMock speaking Stripe's
 * wire format): a failing fetch is an attempt retried later, never a lost event.
 */
class StripeFetchIT extends WebhookIT {

    private static final long MONTH = Duration.ofDays(30).toSeconds();
    private static final WireMockServer STRIPE = start();

    private static WireMockServer start() {
        WireMockServer server =
                new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        return server;
    }

    @DynamicPropertySource
    static void stripeApi(DynamicPropertyRegistry registry) {
        registry.add("payment.stripe.api-base", STRIPE::baseUrl);
        registry.add("payment.stripe.api-key", () -> "");
        // our retry is under test, not stripe-java's
        registry.add("payment.stripe.max-network-retries", () -> "0");
    }

    @AfterAll
    static void stop() {
        STRIPE.stop();
    }

    @Test
    void anInvoiceWithoutOurMetadataFetchesItsSubscriptionAndAFailedFetchIsRetried() {
        var ids = subscribed();
        long start = clock.instant().getEpochSecond();
        ObjectNode subscription = StripeFixtures.subscription(ids, "active", false, start, start + MONTH, null);
        String path = "/v1/subscriptions/" + ids.stripeSubscription();
        STRIPE.stubFor(get(urlPathEqualTo(path))
                .inScenario(path)
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(500)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"type\":\"api_error\",\"message\":\"Something went wrong\"}}"))
                .willSetStateTo("recovered"));
        STRIPE.stubFor(get(urlPathEqualTo(path))
                .inScenario(path)
                .whenScenarioStateIs("recovered")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(StripeFixtures.JSON.writeValueAsString(subscription))));
        String id = eventId();
        deliver(event(
                id,
                "invoice.paid",
                start + 6,
                StripeFixtures.invoice(
                        ids,
                        "in_fetch" + start,
                        "subscription_create",
                        "paid",
                        1999,
                        start,
                        start + MONTH,
                        1,
                        null,
                        "pi_fetch" + start,
                        false)));

        process();
        var failed =
                row("SELECT status, attempts, last_error FROM stripe_webhook_events WHERE id = :id", Map.of("id", id));
        assertThat(failed).containsEntry("status", "RECEIVED").containsEntry("attempts", 1);
        assertThat(events(ids.subscriptionId(), "payment-succeeded")).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        process();
        assertThat(row("SELECT status, attempts FROM stripe_webhook_events WHERE id = :id", Map.of("id", id)))
                .containsEntry("status", "PROCESSED")
                .containsEntry("attempts", 2);
        assertThat(events(ids.subscriptionId(), "payment-succeeded")).hasSize(1);
        STRIPE.verify(2, getRequestedFor(urlPathEqualTo(path)));
    }

    @Test
    void aChargeThatDoesNotListItsRefundsHasThemFetched() {
        var ids = subscribed();
        long start = clock.instant().getEpochSecond();
        String pi = "pi_fetchrefund" + start;
        String ch = "ch_fetchrefund" + start;
        deliver(event(
                eventId(),
                "invoice.paid",
                start + 6,
                StripeFixtures.invoice(
                        ids,
                        "in_fetchrefund" + start,
                        "subscription_create",
                        "paid",
                        1999,
                        start,
                        start + MONTH,
                        1,
                        null,
                        pi,
                        true)));
        process();
        ObjectNode refund = StripeFixtures.refund("re_fetched" + start, ch, pi, 1999, "fraudulent", start + 50);
        ObjectNode list = StripeFixtures.JSON.createObjectNode();
        list.put("object", "list");
        list.put("url", "/v1/refunds");
        list.put("has_more", false);
        list.putArray("data").add(refund);
        STRIPE.stubFor(get(urlPathEqualTo("/v1/refunds"))
                .withQueryParam("charge", equalTo(ch))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(StripeFixtures.JSON.writeValueAsString(list))));
        ObjectNode charge = StripeFixtures.charge(ch, pi, 1999, List.of());
        charge.remove("refunds"); // what Stripe sends since API 2022-11-15
        charge.put("amount_refunded", 1999);
        deliver(event(eventId(), "charge.refunded", start + 50, charge));
        process();
        var issued = events(ids.subscriptionId(), "refund-issued");
        assertThat(issued).hasSize(1);
        assertThat(issued.getFirst().get("data").get("reason").asString()).isEqualTo("FRAUDULENT");
        assertThat(issued.getFirst().get("data").get("amount").asLong()).isEqualTo(1999);
    }
}
