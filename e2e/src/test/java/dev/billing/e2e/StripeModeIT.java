package dev.billing.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.Stripe;
import com.stripe.net.Webhook;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The lifecycle with payment-service in Stripe mode: it talks to a fake Stripe (WireMock speaking
 * Stripe's wire format) and Stripe's signed webhooks are posted to the gateway, as Stripe would.
 * payment-service is restarted in Stripe mode for this class and back in simulated mode after it.
 */
class StripeModeIT {

    static final String PASSWORD = "correct horse battery staple";

    private static final RunningStack stack = RunningStack.shared();
    private static FakeStripe stripe;
    private static String webhookSecret;

    private final Gateway gateway = new Gateway(stack);
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void paymentServiceInStripeMode() {
        stripe = new FakeStripe(stack.root());
        webhookSecret = stack.serviceEnv("payment-service", "STRIPE_WEBHOOK_SECRET");
        stack.kill("payment-service");
        stack.restart(
                "payment-service",
                Map.of(
                        "STRIPE_API_KEY",
                        "sk_test_e2e",
                        "STRIPE_API_BASE",
                        stripe.baseUrl(),
                        "STRIPE_MAX_NETWORK_RETRIES",
                        "0"));
    }

    @AfterAll
    static void backToTheSimulatedProvider() {
        stack.kill("payment-service");
        stack.restart("payment-service");
        stripe.close();
    }

    @Test
    void checkoutAtStripeWebhooksActivateThenPastDueThenCanceled() {
        String token = gateway.newCustomer(PASSWORD);
        String basic = gateway.planId("basic");

        JsonNode subscription = gateway.post(token, "/api/v1/subscriptions", Map.of("planId", basic), 201);
        String subscriptionId = subscription.get("id").asString();
        String userId = subscription.get("userId").asString();
        String checkoutUrl = gateway.await(token, "/api/v1/subscriptions/" + subscriptionId, s -> s.path("checkout")
                        .has("url"))
                .get("checkout")
                .get("url")
                .asString();
        // the user is sent to Stripe's hosted checkout, created at the fake with our ids
        assertThat(checkoutUrl).startsWith("https://checkout.stripe.com/");
        Map<String, String> created = stripe.posted("/v1/checkout/sessions").stream()
                .filter(form -> subscriptionId.equals(form.get("client_reference_id")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no checkout session for " + subscriptionId + " at the fake"));
        assertThat(created)
                .containsEntry("mode", "subscription")
                .containsEntry("metadata[subscription_id]", subscriptionId);
        assertThat(stripe.idempotencyKeys("/v1/checkout/sessions"))
                .allSatisfy(key -> assertThat(key).isNotBlank());
        String checkoutSessionId = created.get("metadata[checkout_session_id]");
        gateway.awaitDemoPremium(token, 403);

        Map<String, String> metadata =
                Map.of("subscription_id", subscriptionId, "checkout_session_id", checkoutSessionId, "user_id", userId);
        String stripeSubscription =
                "sub_e2e" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
        String stripeCustomer =
                "cus_e2e" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant periodEnd = now.plus(30, ChronoUnit.DAYS);

        // Stripe: the session completed and the first invoice paid (delivered in either order)
        deliver("checkout.session.completed", checkoutSession(created, metadata, stripeSubscription, stripeCustomer));
        deliver(
                "invoice.paid",
                invoice(
                        "in_e2e_first_" + subscriptionId,
                        "paid",
                        "subscription_create",
                        metadata,
                        stripeSubscription,
                        stripeCustomer,
                        now,
                        periodEnd,
                        1,
                        null));
        gateway.await(token, "/api/v1/subscriptions/" + subscriptionId, s -> "ACTIVE".equals(Gateway.status(s)));
        gateway.awaitDemoPremium(token, 200);
        JsonNode payments = gateway.get(token, "/api/v1/payments/me").get("items");
        assertThat(payments).hasSize(1);
        assertThat(payments.get(0).get("status").asString()).isEqualTo("SUCCEEDED");

        // the renewal's charge fails: Stripe retries later
        deliver(
                "invoice.payment_failed",
                invoice(
                        "in_e2e_renewal_" + subscriptionId,
                        "open",
                        "subscription_cycle",
                        metadata,
                        stripeSubscription,
                        stripeCustomer,
                        periodEnd,
                        periodEnd.plus(30, ChronoUnit.DAYS),
                        1,
                        periodEnd.plus(3, ChronoUnit.DAYS)));
        gateway.await(token, "/api/v1/subscriptions/" + subscriptionId, s -> "PAST_DUE".equals(Gateway.status(s)));

        // Stripe gives up and deletes the subscription
        deliver(
                "customer.subscription.deleted",
                deletedSubscription(stripeSubscription, stripeCustomer, metadata, now, periodEnd));
        gateway.await(token, "/api/v1/subscriptions/" + subscriptionId, s -> "CANCELED".equals(Gateway.status(s)));
        gateway.awaitDemoPremium(token, 403);
    }

    /** Posts one signed event to the gateway's /webhooks/stripe, as Stripe does. */
    private void deliver(String type, ObjectNode object) {
        ObjectNode event = json.createObjectNode();
        event.put("id", "evt_e2e_" + UUID.randomUUID().toString().replace("-", ""));
        event.put("object", "event");
        event.put("api_version", Stripe.API_VERSION);
        event.put("created", Instant.now().getEpochSecond());
        event.put("livemode", false);
        event.put("pending_webhooks", 1);
        event.put("type", type);
        event.putObject("data").set("object", object);
        String body = json.writeValueAsString(event);
        String signature;
        try {
            signature = Webhook.Signature.generateSignatureHeader(body, webhookSecret);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        gateway.http
                .post()
                .uri("/webhooks/stripe")
                .header("Stripe-Signature", signature)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isOk();
    }

    private ObjectNode checkoutSession(
            Map<String, String> created,
            Map<String, String> metadata,
            String stripeSubscription,
            String stripeCustomer) {
        ObjectNode session = stripe.fixture("checkout_session.json");
        session.put(
                "id",
                "cs_test_e2e" + UUID.randomUUID().toString().replace("-", "").substring(0, 14));
        session.put("mode", "subscription");
        session.put("status", "complete");
        session.put("payment_status", "paid");
        session.put("client_reference_id", created.get("client_reference_id"));
        session.put("customer", stripeCustomer);
        session.put("subscription", stripeSubscription);
        session.set("metadata", json.valueToTree(metadata));
        return session;
    }

    private ObjectNode invoice(
            String id,
            String status,
            String billingReason,
            Map<String, String> metadata,
            String stripeSubscription,
            String stripeCustomer,
            Instant periodStart,
            Instant periodEnd,
            int attemptCount,
            Instant nextAttempt) {
        long amount = 999;
        ObjectNode line = json.createObjectNode();
        line.put("id", "il_" + id);
        line.put("object", "line_item");
        line.put("amount", amount);
        line.put("currency", "usd");
        line.put("description", "1 × Basic (at $9.99 / month)");
        line.put("quantity", 1);
        line.putObject("period").put("start", periodStart.getEpochSecond()).put("end", periodEnd.getEpochSecond());
        ObjectNode parent = line.putObject("parent");
        parent.put("type", "subscription_item_details");
        parent.putObject("subscription_item_details")
                .put("subscription", stripeSubscription)
                .put("subscription_item", "si_e2e")
                .put("proration", false);
        ObjectNode invoice = json.createObjectNode();
        invoice.put("id", id);
        invoice.put("object", "invoice");
        invoice.put("status", status);
        invoice.put("billing_reason", billingReason);
        invoice.put("customer", stripeCustomer);
        invoice.put("currency", "usd");
        invoice.put("amount_due", amount);
        invoice.put("amount_paid", "paid".equals(status) ? amount : 0);
        invoice.put("amount_remaining", "paid".equals(status) ? 0 : amount);
        invoice.put("subtotal", amount);
        invoice.put("total", amount);
        invoice.put("attempt_count", attemptCount);
        invoice.put("attempted", true);
        if (nextAttempt == null) {
            invoice.putNull("next_payment_attempt");
        } else {
            invoice.put("next_payment_attempt", nextAttempt.getEpochSecond());
        }
        invoice.put("created", periodStart.getEpochSecond());
        invoice.put("period_start", periodStart.getEpochSecond());
        invoice.put("period_end", periodStart.getEpochSecond());
        invoice.put("livemode", false);
        ObjectNode invoiceParent = invoice.putObject("parent");
        invoiceParent.put("type", "subscription_details");
        invoiceParent
                .putObject("subscription_details")
                .put("subscription", stripeSubscription)
                .set("metadata", json.valueToTree(metadata));
        ObjectNode lines = invoice.putObject("lines");
        lines.put("object", "list");
        lines.put("has_more", false);
        lines.put("url", "/v1/invoices/" + id + "/lines");
        lines.set("data", json.valueToTree(List.of(line)));
        return invoice;
    }

    private ObjectNode deletedSubscription(
            String stripeSubscription,
            String stripeCustomer,
            Map<String, String> metadata,
            Instant start,
            Instant end) {
        ObjectNode subscription = stripe.fixture("subscription.json");
        subscription.put("id", stripeSubscription);
        subscription.put("customer", stripeCustomer);
        subscription.put("status", "canceled");
        subscription.put("canceled_at", Instant.now().getEpochSecond());
        subscription.put("ended_at", Instant.now().getEpochSecond());
        subscription.put("cancel_at_period_end", false);
        subscription.set("metadata", json.valueToTree(metadata));
        subscription.putObject("cancellation_details").put("reason", "payment_failed");
        JsonNode items = subscription.path("items").path("data");
        if (items.isArray() && !items.isEmpty()) {
            ((ObjectNode) items.get(0)).put("current_period_start", start.getEpochSecond());
            ((ObjectNode) items.get(0)).put("current_period_end", end.getEpochSecond());
        }
        return subscription;
    }
}
