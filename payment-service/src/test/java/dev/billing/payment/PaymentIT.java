package dev.billing.payment;

import dev.billing.platform.test.IntegrationTest;
import dev.billing.platform.test.TestClock;
import dev.billing.platform.test.TestHttp;
import dev.billing.platform.test.TestJwts;
import dev.billing.platform.test.contracts.EventSchemas;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** What the payment-service ITs share: real HTTP, Kafka in, the outbox out, the movable clock. */
@IntegrationTest
public abstract class PaymentIT {

    protected static final JsonMapper JSON = JsonMapper.builder().build();
    protected static final String GOOD_CARD = "4242424242424242";
    protected static final String DECLINED_CARD = "4000000000000002";

    @LocalServerPort
    protected int port;

    @Autowired
    protected DatabaseClient db;

    @Autowired
    protected TestClock clock;

    @Autowired
    protected KafkaTemplate<String, String> kafka;

    protected WebTestClient http() {
        return TestHttp.local(port);
    }

    protected static String token(UUID userId, String... roles) {
        return TestJwts.shared().token(userId, roles);
    }

    /** A subscription-created envelope like the contract's example, with our ids and values. */
    protected String subscriptionCreated(
            UUID subscriptionId, UUID userId, String status, long amount, Consumer<ObjectNode> edit) {
        ObjectNode envelope = (ObjectNode) JSON.readTree(EventSchemas.example("subscription-created"));
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("subject", subscriptionId.toString());
        envelope.put("time", clock.instant().toString());
        ObjectNode data = (ObjectNode) envelope.get("data");
        data.put("subscriptionId", subscriptionId.toString());
        data.put("userId", userId.toString());
        data.put("status", status);
        data.put("amount", amount);
        edit.accept(envelope);
        String json = JSON.writeValueAsString(envelope);
        EventSchemas.assertValid(json);
        return json;
    }

    protected void publish(String topic, String key, String envelope) {
        try {
            kafka.send(topic, key, envelope).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Subscribes a user (INCOMPLETE, 1999 USD monthly) and returns the checkout session id. */
    protected UUID subscribe(UUID subscriptionId, UUID userId) {
        publish(
                "subscription-created",
                subscriptionId.toString(),
                subscriptionCreated(subscriptionId, userId, "INCOMPLETE", 1999, e -> {}));
        JsonNode created =
                awaitEvent(subscriptionId, "checkout-session-created", 1).getFirst();
        return UUID.fromString(created.get("data").get("checkoutSessionId").asString());
    }

    /** The events this service wrote for a subscription, of one type, in order (valid against contracts). */
    protected List<JsonNode> events(UUID subscriptionId, String type) {
        List<String> payloads = db.sql(
                        "SELECT payload FROM outbox WHERE msg_key = :key AND topic = :topic ORDER BY seq")
                .bind("key", subscriptionId.toString())
                .bind("topic", type)
                .map(r -> r.get("payload", String.class))
                .all()
                .collectList()
                .block(Duration.ofSeconds(10));
        payloads.forEach(EventSchemas::assertValid);
        return payloads.stream().map(JSON::readTree).toList();
    }

    protected List<JsonNode> awaitEvent(UUID subscriptionId, String type, int count) {
        await(() -> events(subscriptionId, type).size() >= count, type + " x" + count + " for " + subscriptionId);
        return events(subscriptionId, type);
    }

    protected static void await(Supplier<Boolean> condition, String what) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    protected WebTestClient.ResponseSpec pay(UUID sessionId, String card) {
        return http().post()
                .uri("/checkout/{id}", sessionId)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.TEXT_HTML)
                .body(BodyInserters.fromFormData("card", card))
                .exchange();
    }

    protected JsonNode getJson(String uri, String token) {
        String body = http().get()
                .uri(uri)
                .header("Authorization", "Bearer " + token)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        return JSON.readTree(body);
    }

    protected long count(String sql, Map<String, Object> params) {
        var spec = db.sql(sql);
        for (var e : params.entrySet()) {
            spec = spec.bind(e.getKey(), e.getValue());
        }
        return spec.map(r -> ((Number) r.get(0)).longValue()).one().block(Duration.ofSeconds(10));
    }
}
