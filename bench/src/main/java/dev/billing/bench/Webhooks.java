package dev.billing.bench;

import com.stripe.Stripe;
import com.stripe.net.Webhook;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stripe webhook scenarios, through the gateway, signed with the stack's endpoint secret:
 * signed webhooks accepted per second with 10% of them delivered again (Stripe retries with the
 * same event id), then a count in payment-service's schema that every distinct event was stored
 * exactly once; and the time from posting a paid checkout's webhooks until the gateway lets the
 * customer through, with one payment per customer counted afterwards.
 */
final class Webhooks {

    private static final JsonMapper json = JsonMapper.builder().build();

    record Options(
            String gateway,
            String payment,
            String secret,
            int concurrency,
            Duration duration,
            Duration warmup,
            String dbUrl,
            int customers) {}

    static void run(HttpClient http, Load load, Options options) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        webhookToActive(http, options, run);
        System.out.println();

        for (String[] target : new String[][] {
            {"webhooks via gateway", options.gateway(), "gw"},
            {"webhooks direct to payment", options.payment(), "direct"}
        }) {
            accepted(load, options, target[0], target[1], run + "_" + target[2]);
        }
    }

    /** Signed events posted back to back; every 10th repeats an earlier one; then counted where they were stored. */
    static void accepted(Load load, Options options, String name, String url, String run) throws Exception {
        Set<String> distinct = ConcurrentHashMap.newKeySet();
        String[] bodies = new String[1 << 20];
        java.util.function.IntFunction<Load.Request> request = i -> {
            // every 10th delivery repeats an earlier event (same id and body, fresh signature)
            int index = i % 10 == 9 && i > 10 ? i - 7 : i;
            String body = bodies[index % bodies.length];
            if (body == null || index == i) {
                String id = "evt_bench_" + run + "_" + index;
                body = event(id, "customer.updated", customer("cus_bench_" + run + "_" + (index % 500)));
                bodies[index % bodies.length] = body;
                distinct.add(id);
            }
            return signedForLoad(url, options.secret(), body);
        };
        load.run(
                "warm-up",
                options.concurrency(),
                options.warmup(),
                i -> signedForLoad(url, options.secret(), warmUp(run, i)),
                200);
        Quiet.await(name, 15, Duration.ofMinutes(2));
        Load.Result result = load.run(name, options.concurrency(), options.duration(), request, 200);
        Load.print(List.of(result));
        System.out.printf(
                "%s: %.0f/s accepted (target >= 1000/s), %d deliveries of %d distinct events%n",
                name, result.perSecond(), result.requests(), distinct.size());
        countStored(options, "evt_bench_" + run + "\\_%", distinct.size(), result.seconds());
    }

    /** Subscribe (INCOMPLETE), post the signed checkout.session.completed and invoice.paid, poll the guard. */
    static void webhookToActive(HttpClient http, Options options, String run) throws Exception {
        String gateway = options.gateway();
        String plan = Subscriptions.planId(http, gateway, "basic");
        List<String> tokens = Subscriptions.users(http, gateway, options.customers());
        Quiet.await("webhook to ACTIVE", 15, Duration.ofMinutes(2));
        Histogram latency = new Histogram(Duration.ofMinutes(1).toNanos() / 1000, 3);
        int failures = 0;
        List<String[]> paid = new ArrayList<>();
        for (int n = 0; n < tokens.size(); n++) {
            String token = tokens.get(n);
            JsonNode subscription = Subscriptions.send(
                    http, "POST", gateway + "/api/v1/subscriptions", token, Map.of("planId", plan), 201);
            String id = subscription.get("id").asString();
            String userId = subscription.get("userId").asString();
            String checkout = null;
            for (int i = 0; i < 500 && checkout == null; i++) {
                JsonNode current =
                        Subscriptions.send(http, "GET", gateway + "/api/v1/subscriptions/" + id, token, null, 200);
                if (current.path("checkout").has("url")) {
                    checkout = current.get("checkout").get("url").asString();
                } else {
                    Thread.sleep(20);
                }
            }
            if (checkout == null) {
                failures++;
                continue;
            }
            String sessionId = checkout.substring(checkout.lastIndexOf('/') + 1);
            long amount = subscription.path("amount").asLong(999);
            String suffix = run + "_" + n;
            Map<String, String> metadata =
                    Map.of("subscription_id", id, "checkout_session_id", sessionId, "user_id", userId);
            long now = System.currentTimeMillis() / 1000;
            String completed = event(
                    "evt_bench_cs_" + suffix,
                    "checkout.session.completed",
                    checkoutSession(suffix, id, metadata, amount, now));
            String invoicePaid =
                    event("evt_bench_in_" + suffix, "invoice.paid", invoice(suffix, metadata, amount, now));
            long sent = System.nanoTime();
            boolean accepted = post(http, options, completed) && post(http, options, invoicePaid);
            if (n % 10 == 0) {
                accepted &= post(http, options, invoicePaid); // a redelivery: no second payment
            }
            if (!accepted) {
                failures++;
                continue;
            }
            if (Subscriptions.entitled(http, gateway, token, sent)) {
                latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
                paid.add(new String[] {token, id});
            } else {
                failures++;
            }
        }
        int wrongPaymentCount = 0;
        for (String[] customer : paid) {
            JsonNode payments =
                    Subscriptions.send(http, "GET", gateway + "/api/v1/payments/me", customer[0], null, 200);
            if (payments.get("items").size() != 1) {
                wrongPaymentCount++;
            }
        }
        System.out.printf(
                "webhook to ACTIVE at the gateway (%d customers, one at a time, polled every 15 ms): p50 %.1f ms,"
                        + " p99 %.1f ms, max %.1f ms, failures %d; customers without exactly one payment: %d%n",
                tokens.size(),
                latency.getValueAtPercentile(50) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0,
                latency.getMaxValue() / 1000.0,
                failures,
                wrongPaymentCount);
    }

    /**
     * Waits (up to 5 minutes) until payment-service has stored and processed every distinct event
     * once, and says so, with how long processing ran behind acceptance: events are acknowledged
     * as soon as they are stored and applied afterwards. Also prints the rate processing sustained:
     * distinct events over the sending time plus that lag.
     */
    static void countStored(Options options, String idPattern, int expected, double sendingSeconds) throws Exception {
        long start = System.nanoTime();
        long deadline = start + Duration.ofMinutes(5).toNanos();
        long stored = -1;
        long processed = -1;
        try (var db = DriverManager.getConnection(options.dbUrl(), "postgres", "postgres")) {
            while (System.nanoTime() < deadline) {
                try (var query = db.prepareStatement(
                        "SELECT count(*), count(*) FILTER (WHERE status = 'PROCESSED') FROM payment.stripe_webhook_events"
                                + " WHERE id LIKE ?")) {
                    query.setString(1, idPattern);
                    try (var rows = query.executeQuery()) {
                        rows.next();
                        stored = rows.getLong(1);
                        processed = rows.getLong(2);
                    }
                }
                if (stored == expected && processed == expected) {
                    break;
                }
                Thread.sleep(500);
            }
        }
        double lag = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "stored %d, processed %d, distinct sent %d: %s (all processed %.1f s after the last was accepted:"
                        + " processing sustained %.0f events/s)%n",
                stored,
                processed,
                expected,
                stored == expected && processed == expected ? "none lost, none twice" : "MISMATCH",
                lag,
                expected / (sendingSeconds + lag));
    }

    private static boolean post(HttpClient http, Options options, String body) throws Exception {
        return http.send(signed(options.gateway(), options.secret(), body), HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                == 200;
    }

    private static HttpRequest signed(String url, String secret, String body) {
        return HttpRequest.newBuilder(URI.create(url + "/webhooks/stripe"))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Stripe-Signature", signature(body, secret))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private static Load.Request signedForLoad(String url, String secret, String body) {
        return Load.Request.post(
                URI.create(url + "/webhooks/stripe"),
                Map.of("Content-Type", "application/json; charset=utf-8", "Stripe-Signature", signature(body, secret)),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static String signature(String body, String secret) {
        try {
            return Webhook.Signature.generateSignatureHeader(body, secret);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String warmUp(String run, int i) {
        return event("evt_bench_warmup_" + run + "_" + i, "customer.updated", customer("cus_bench_warmup"));
    }

    static String event(String id, String type, Map<String, Object> object) {
        return json.writeValueAsString(Map.of(
                "id",
                id,
                "object",
                "event",
                "api_version",
                Stripe.API_VERSION,
                "created",
                System.currentTimeMillis() / 1000,
                "livemode",
                false,
                "pending_webhooks",
                1,
                "request",
                Map.of(),
                "type",
                type,
                "data",
                Map.of("object", object)));
    }

    private static Map<String, Object> customer(String id) {
        return Map.of(
                "id",
                id,
                "object",
                "customer",
                "email",
                id + "@example.com",
                "created",
                1_700_000_000L,
                "livemode",
                false,
                "metadata",
                Map.of());
    }

    private static Map<String, Object> checkoutSession(
            String suffix, String subscriptionId, Map<String, String> metadata, long amount, long now) {
        return Map.ofEntries(
                Map.entry("id", "cs_bench_" + suffix),
                Map.entry("object", "checkout.session"),
                Map.entry("mode", "subscription"),
                Map.entry("status", "complete"),
                Map.entry("payment_status", "paid"),
                Map.entry("client_reference_id", subscriptionId),
                Map.entry("customer", "cus_bench_" + suffix),
                Map.entry("subscription", "sub_bench_" + suffix),
                Map.entry("invoice", "in_bench_" + suffix),
                Map.entry("amount_total", amount),
                Map.entry("currency", "usd"),
                Map.entry("created", now),
                Map.entry("livemode", false),
                Map.entry("metadata", metadata));
    }

    private static Map<String, Object> invoice(String suffix, Map<String, String> metadata, long amount, long now) {
        long end = now + 30L * 24 * 3600;
        Map<String, Object> period = Map.of("start", now, "end", end);
        Map<String, Object> line = Map.of(
                "id",
                "il_bench_" + suffix,
                "object",
                "line_item",
                "amount",
                amount,
                "currency",
                "usd",
                "description",
                "1 × Basic (at $9.99 / month)",
                "period",
                period,
                "quantity",
                1,
                "parent",
                Map.of(
                        "type",
                        "subscription_item_details",
                        "subscription_item_details",
                        Map.of(
                                "subscription", "sub_bench_" + suffix,
                                "subscription_item", "si_bench_" + suffix,
                                "proration", false)));
        return Map.ofEntries(
                Map.entry("id", "in_bench_" + suffix),
                Map.entry("object", "invoice"),
                Map.entry("status", "paid"),
                Map.entry("billing_reason", "subscription_create"),
                Map.entry("customer", "cus_bench_" + suffix),
                Map.entry("number", "BENCH-" + suffix),
                Map.entry("currency", "usd"),
                Map.entry("amount_due", amount),
                Map.entry("amount_paid", amount),
                Map.entry("amount_remaining", 0),
                Map.entry("subtotal", amount),
                Map.entry("total", amount),
                Map.entry("attempt_count", 1),
                Map.entry("created", now),
                Map.entry("period_start", now),
                Map.entry("period_end", now),
                Map.entry("livemode", false),
                Map.entry("status_transitions", Map.of("paid_at", now, "finalized_at", now)),
                Map.entry(
                        "parent",
                        Map.of(
                                "type",
                                "subscription_details",
                                "subscription_details",
                                Map.of("subscription", "sub_bench_" + suffix, "metadata", metadata))),
                Map.entry(
                        "lines",
                        Map.of(
                                "object",
                                "list",
                                "has_more",
                                false,
                                "url",
                                "/v1/invoices/in_bench_" + suffix + "/lines",
                                "data",
                                List.of(line))));
    }
}
