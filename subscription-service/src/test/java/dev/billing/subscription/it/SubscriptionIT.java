package dev.billing.subscription.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.platform.test.IntegrationTest;
import dev.billing.platform.test.TestClock;
import dev.billing.platform.test.TestHttp;
import dev.billing.platform.test.TestJwts;
import dev.billing.platform.test.contracts.EventSchemas;
import dev.billing.subscription.application.SubscriptionJobs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the ITs share (one Spring context): real HTTP on the random port, real Kafka for the
 * consumed events (JSON envelopes built from the contracts' examples), the database, the clock.
 */
@IntegrationTest
abstract class SubscriptionIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration WAIT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    DatabaseClient db;

    @Autowired
    TestClock clock;

    @Autowired
    KafkaTemplate<String, String> kafka;

    @Autowired
    SubscriptionJobs jobs;

    WebTestClient http() {
        return TestHttp.local(port);
    }

    record User(UUID id, String token) {
        Consumer<HttpHeaders> auth() {
            return h -> h.setBearerAuth(token);
        }
    }

    static User newUser() {
        UUID id = UUID.randomUUID();
        return new User(id, TestJwts.shared().token(id, "USER"));
    }

    static User admin() {
        UUID id = UUID.randomUUID();
        return new User(id, TestJwts.shared().token(id, "USER", "ADMIN"));
    }

    // ---- plans ------------------------------------------------------------------------------

    record Plan(UUID id, String name, long amount, int tier) {}

    /** Publishes plan-published (through Kafka) and waits for the read model to have it. */
    Plan givenPlan(long amount, int trialDays, int tier) {
        UUID id = UUID.randomUUID();
        String name = "Plan " + tier + "-" + id.toString().substring(0, 6);
        publish("plan-published", id, 1, data -> {
            data.put("id", id.toString());
            data.put("code", "p-" + id.toString().substring(0, 8));
            data.put("name", name);
            data.put("amount", amount);
            data.put("trialDays", trialDays);
            data.put("tier", tier);
            data.put("status", "ACTIVE");
        });
        await(() -> count("SELECT count(*) FROM plans WHERE id = '" + id + "' AND name IS NOT NULL") == 1);
        return new Plan(id, name, amount, tier);
    }

    // ---- events in ----------------------------------------------------------------------------

    /** Publishes an event of {@code type} built from the contract's example; returns its envelope JSON. */
    String publish(String type, UUID subject, long version, Consumer<ObjectNode> data) {
        ObjectNode envelope = (ObjectNode) JSON.readTree(EventSchemas.example(type));
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("subject", subject.toString());
        envelope.put("aggregateversion", version);
        envelope.put("time", clock.instant().toString());
        data.accept((ObjectNode) envelope.get("data"));
        String json = JSON.writeValueAsString(envelope);
        EventSchemas.assertValid(json);
        send(type, subject, json);
        return json;
    }

    void send(String topic, UUID key, String json) {
        kafka.send(topic, key.toString(), json).join();
    }

    String paymentSucceeded(UUID subscriptionId, UUID userId, long version, Instant start, Instant end) {
        return publish("payment-succeeded", subscriptionId, version, d -> {
            d.put("subscriptionId", subscriptionId.toString());
            d.put("userId", userId.toString());
            d.put("invoiceId", UUID.randomUUID().toString());
            d.put("paymentId", UUID.randomUUID().toString());
            d.put("periodStart", start.toString());
            d.put("periodEnd", end.toString());
            d.put("billingReason", version <= 3 ? "SUBSCRIPTION_CREATE" : "SUBSCRIPTION_CYCLE");
            d.put("paidAt", clock.instant().toString());
        });
    }

    String paymentFailed(
            UUID subscriptionId, UUID userId, long version, Instant start, Instant end, Instant nextRetryAt) {
        return publish("payment-failed", subscriptionId, version, d -> {
            d.put("subscriptionId", subscriptionId.toString());
            d.put("userId", userId.toString());
            d.put("invoiceId", UUID.randomUUID().toString());
            d.put("paymentId", UUID.randomUUID().toString());
            d.put("periodStart", start.toString());
            d.put("periodEnd", end.toString());
            d.put("billingReason", "SUBSCRIPTION_CYCLE");
            if (nextRetryAt == null) {
                d.putNull("nextRetryAt");
            } else {
                d.put("nextRetryAt", nextRetryAt.toString());
            }
        });
    }

    String checkoutSessionCreated(UUID subscriptionId, UUID userId, long version, String url) {
        return publish("checkout-session-created", subscriptionId, version, d -> {
            d.put("subscriptionId", subscriptionId.toString());
            d.put("userId", userId.toString());
            d.put("url", url);
            d.put("expiresAt", clock.instant().plus(Duration.ofHours(24)).toString());
        });
    }

    // ---- HTTP -----------------------------------------------------------------------------------

    JsonNode subscribe(User user, UUID planId) {
        return JSON.readTree(http().post()
                .uri("/api/v1/subscriptions")
                .headers(user.auth())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("planId", planId))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody());
    }

    JsonNode get(User user, String path) {
        return JSON.readTree(http().get()
                .uri(path)
                .headers(user.auth())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody());
    }

    JsonNode subscription(User user, UUID id) {
        return get(user, "/api/v1/subscriptions/" + id);
    }

    JsonNode post(User user, String path, Object body, int expectedStatus) {
        var spec = http().post().uri(path).headers(user.auth());
        var exchange = body == null
                ? spec.exchange()
                : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
        String response = exchange.expectStatus()
                .isEqualTo(expectedStatus)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        return response == null ? null : JSON.readTree(response);
    }

    /** Waits until the subscription has the status (as seen over HTTP) and returns it. */
    JsonNode awaitStatus(User user, UUID id, String status) {
        await(() -> subscription(user, id).get("status").asString().equals(status));
        return subscription(user, id);
    }

    static UUID id(JsonNode node) {
        return UUID.fromString(node.get("id").asString());
    }

    // ---- events out ---------------------------------------------------------------------------

    /** The events this service wrote for an aggregate (subscription or user), oldest first. */
    List<JsonNode> outbox(UUID key) {
        return db.sql("SELECT payload FROM outbox WHERE msg_key = :key ORDER BY seq")
                .bind("key", key.toString())
                .map(row -> row.get("payload", String.class))
                .all()
                .map(JSON::readTree)
                .collectList()
                .block(WAIT);
    }

    List<JsonNode> outbox(UUID key, String type) {
        return outbox(key).stream()
                .filter(e -> e.get("type").asString().equals(type))
                .toList();
    }

    /** Every event written for these aggregates matches its contract. */
    void assertEventsValid(UUID... keys) {
        for (UUID key : keys) {
            for (JsonNode event : outbox(key)) {
                EventSchemas.assertValid(JSON.writeValueAsString(event));
            }
        }
    }

    List<String> types(UUID key) {
        return outbox(key).stream().map(e -> e.get("type").asString()).toList();
    }

    JsonNode lastEntitlement(UUID userId) {
        List<JsonNode> events = outbox(userId, "entitlements-changed");
        assertThat(events).isNotEmpty();
        return events.getLast();
    }

    /** Waits until the listener has processed (applied or dropped) this event. */
    void awaitApplied(String envelopeJson) {
        String eventId = JSON.readTree(envelopeJson).get("id").asString();
        await(() -> count("SELECT count(*) FROM inbox WHERE event_id = '" + eventId + "'") == 1);
    }

    /** Now on the test clock, in whole seconds (as payment-service's periods are). */
    Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    // ---- helpers --------------------------------------------------------------------------------

    long count(String sql) {
        return db.sql(sql).map(row -> row.get(0, Long.class)).one().block(WAIT);
    }

    static void await(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
