package dev.billing.payment.billing.webhook;

import com.stripe.Stripe;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stripe webhook payloads built from Stripe's own example objects ({@code stripe/fixtures3.json},
 * MIT, from stripe/openapi) with our ids, wrapped in the event envelope and signed as Stripe signs.
 */
final class StripeFixtures {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String SECRET = "whsec_test_current";
    static final String PREVIOUS_SECRET = "whsec_test_previous";

    private static final JsonNode RESOURCES = load();

    private StripeFixtures() {}

    private static JsonNode load() {
        try (InputStream in = StripeFixtures.class.getResourceAsStream("/stripe/fixtures3.json")) {
            return JSON.readTree(in).get("resources");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode resource(String name) {
        return (ObjectNode) RESOURCES.get(name).deepCopy();
    }

    /** Our ids as the outbound side puts them on the session and the Stripe subscription. */
    record Ids(UUID subscriptionId, UUID userId, UUID sessionId, String stripeSubscription, String customer) {

        static Ids of(UUID subscriptionId, UUID userId, UUID sessionId) {
            String suffix = subscriptionId.toString().replace("-", "").substring(0, 14);
            return new Ids(subscriptionId, userId, sessionId, "sub_" + suffix, "cus_" + suffix);
        }

        ObjectNode metadata() {
            ObjectNode m = JSON.createObjectNode();
            m.put("subscription_id", subscriptionId.toString());
            m.put("checkout_session_id", sessionId == null ? null : sessionId.toString());
            m.put("user_id", userId.toString());
            return m;
        }
    }

    static ObjectNode checkoutSession(Ids ids, String paymentStatus) {
        ObjectNode s = resource("checkout.session");
        s.put("id", "cs_test_" + ids.stripeSubscription().substring(4));
        s.put("mode", "subscription");
        s.put("status", "complete");
        s.put("payment_status", paymentStatus);
        s.put("client_reference_id", ids.subscriptionId().toString());
        s.set("metadata", ids.metadata());
        s.put("subscription", ids.stripeSubscription());
        s.put("customer", ids.customer());
        s.putNull("payment_intent");
        return s;
    }

    /** An invoice of the subscription with one subscription line for [periodStart, periodEnd). */
    static ObjectNode invoice(
            Ids ids,
            String id,
            String billingReason,
            String status,
            long amount,
            long periodStart,
            long periodEnd,
            int attemptCount,
            Long nextPaymentAttempt,
            String paymentIntent,
            boolean withMetadata) {
        ObjectNode i = resource("invoice");
        i.put("id", id);
        i.put("billing_reason", billingReason);
        i.put("status", status);
        i.put("customer", ids.customer());
        i.put("currency", "usd");
        i.put("amount_due", amount);
        i.put("amount_paid", "paid".equals(status) ? amount : 0);
        i.put("amount_remaining", "paid".equals(status) ? 0 : amount);
        i.put("subtotal", amount);
        i.put("total", amount);
        i.put("attempt_count", attemptCount);
        i.put("attempted", attemptCount > 0);
        i.putNull("number");
        if (nextPaymentAttempt == null) {
            i.putNull("next_payment_attempt");
        } else {
            i.put("next_payment_attempt", nextPaymentAttempt);
        }
        ObjectNode parent = JSON.createObjectNode();
        parent.put("type", "subscription_details");
        parent.putNull("quote_details");
        ObjectNode details = parent.putObject("subscription_details");
        details.put("subscription", ids.stripeSubscription());
        if (withMetadata) {
            details.set("metadata", ids.metadata());
        } else {
            details.putNull("metadata");
        }
        i.set("parent", parent);
        ObjectNode transitions = (ObjectNode) i.get("status_transitions");
        if ("paid".equals(status)) {
            transitions.put("paid_at", periodStart + 5);
        }
        ObjectNode line = (ObjectNode) i.get("lines").get("data").get(0);
        line.put("invoice", id);
        line.put("amount", amount);
        line.put("description", "1 × Premium (at $" + amount / 100 + ".00 / month)");
        ObjectNode period = (ObjectNode) line.get("period");
        period.put("start", periodStart);
        period.put("end", periodEnd);
        ObjectNode lineParent = JSON.createObjectNode();
        lineParent.put("type", "subscription_item_details");
        lineParent.putNull("invoice_item_details");
        ObjectNode item = lineParent.putObject("subscription_item_details");
        item.put("subscription", ids.stripeSubscription());
        item.put("subscription_item", "si_" + ids.stripeSubscription().substring(4));
        item.put("proration", false);
        item.putNull("invoice_item");
        item.putNull("proration_details");
        line.set("parent", lineParent);
        if (paymentIntent != null) {
            ObjectNode payments = JSON.createObjectNode();
            payments.put("object", "list");
            payments.put("has_more", false);
            payments.put("url", "/v1/invoice_payments");
            ObjectNode p = payments.putArray("data").addObject();
            p.put("object", "invoice_payment");
            p.put("id", "inpay_" + id.substring(3));
            p.put("invoice", id);
            p.put("amount_paid", amount);
            p.put("amount_requested", amount);
            p.put("currency", "usd");
            p.put("is_default", true);
            p.put("status", "paid".equals(status) ? "paid" : "open");
            ObjectNode payment = p.putObject("payment");
            payment.put("type", "payment_intent");
            payment.put("payment_intent", paymentIntent);
            i.set("payments", payments);
        }
        return i;
    }

    static ObjectNode subscription(
            Ids ids, String status, boolean cancelAtPeriodEnd, long start, long end, String cancelReason) {
        ObjectNode s = resource("subscription");
        s.put("id", ids.stripeSubscription());
        s.put("customer", ids.customer());
        s.put("status", status);
        s.put("cancel_at_period_end", cancelAtPeriodEnd);
        s.set("metadata", ids.metadata());
        if ("canceled".equals(status)) {
            s.put("canceled_at", end - 10);
            s.put("ended_at", end - 10);
        } else {
            s.putNull("canceled_at");
            s.putNull("ended_at");
            s.putNull("cancel_at");
        }
        ((ObjectNode) s.get("cancellation_details")).put("reason", cancelReason);
        ObjectNode item = (ObjectNode) s.get("items").get("data").get(0);
        item.put("subscription", ids.stripeSubscription());
        item.put("current_period_start", start);
        item.put("current_period_end", end);
        return s;
    }

    /** A charge of a PaymentIntent with its refunds listed. */
    static ObjectNode charge(String id, String paymentIntent, long amount, List<ObjectNode> refunds) {
        ObjectNode c = resource("charge");
        c.put("id", id);
        c.put("payment_intent", paymentIntent);
        c.put("amount", amount);
        c.put("amount_captured", amount);
        c.put("captured", true);
        long refunded =
                refunds.stream().mapToLong(r -> r.get("amount").asLong()).sum();
        c.put("amount_refunded", refunded);
        c.put("refunded", refunded == amount);
        ObjectNode list = (ObjectNode) c.get("refunds");
        ArrayNode data = list.putArray("data");
        refunds.forEach(data::add);
        return c;
    }

    static ObjectNode refund(String id, String charge, String paymentIntent, long amount, String reason, long created) {
        ObjectNode r = resource("refund");
        r.put("id", id);
        r.put("charge", charge);
        r.put("payment_intent", paymentIntent);
        r.put("amount", amount);
        r.put("reason", reason);
        r.put("created", created);
        r.put("status", "succeeded");
        return r;
    }

    /** The event envelope Stripe posts, with the API version stripe-java reads. */
    static String event(String id, String type, long created, ObjectNode object) {
        ObjectNode e = resource("event");
        e.put("id", id);
        e.put("type", type);
        e.put("created", created);
        e.put("api_version", Stripe.API_VERSION);
        e.put("pending_webhooks", 1);
        ObjectNode data = JSON.createObjectNode();
        data.set("object", object);
        e.set("data", data);
        return JSON.writeValueAsString(e);
    }

    static String eventId() {
        return "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    /** {@code t=<seconds>,v1=<hex HMAC-SHA256(secret, "t.payload")>} as Stripe computes it. */
    static String signature(String payload, String secret, long t) {
        return "t=" + t + ",v1=" + hmac(payload, secret, t);
    }

    static String hmac(String payload, String secret, long t) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((t + "." + payload).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
