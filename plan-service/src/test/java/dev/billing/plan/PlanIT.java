package dev.billing.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.platform.test.IntegrationTest;
import dev.billing.platform.test.TestClock;
import dev.billing.platform.test.TestHttp;
import dev.billing.platform.test.TestJwts;
import dev.billing.platform.test.contracts.EventSchemas;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the plan-service ITs share: real HTTP on the random port, the database, tokens, the clock. */
@IntegrationTest
public abstract class PlanIT {

    protected static final String PLANS = "/api/v1/plans";
    protected static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    protected int port;

    @Autowired
    protected DatabaseClient db;

    @Autowired
    protected TestClock clock;

    protected final String admin = "Bearer " + TestJwts.shared().token(UUID.randomUUID(), "USER", "ADMIN");
    protected final String user = "Bearer " + TestJwts.shared().token(UUID.randomUUID(), "USER");

    protected WebTestClient http() {
        return TestHttp.local(port);
    }

    protected static String uniqueCode() {
        return "plan-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** A valid create body (mutable, so tests can change a field). */
    protected static Map<String, Object> planBody(String code) {
        Map<String, Object> body = new HashMap<>();
        body.put("code", code);
        body.put("name", "Premium");
        body.put("description", "Four screens in 4K.");
        body.put("amount", 1999);
        body.put("currency", "USD");
        body.put("interval", "MONTH");
        body.put("intervalCount", 1);
        body.put("trialDays", 7);
        body.put("features", Map.of("screens", 4, "resolution", "4K", "hd", true));
        body.put("tier", 3);
        return body;
    }

    protected WebTestClient.ResponseSpec send(
            org.springframework.http.HttpMethod method, String uri, Object body, String bearer) {
        var spec = http().method(method).uri(uri);
        if (bearer != null) {
            spec = spec.header(HttpHeaders.AUTHORIZATION, bearer);
        }
        if (body != null) {
            return spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
        }
        return spec.exchange();
    }

    protected static JsonNode json(WebTestClient.ResponseSpec response) {
        String body = response.expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    /** Creates a plan as admin and returns it. */
    protected JsonNode create(Map<String, Object> body) {
        return json(send(org.springframework.http.HttpMethod.POST, PLANS, body, admin)
                .expectStatus()
                .isCreated());
    }

    protected JsonNode create(String code) {
        return create(planBody(code));
    }

    protected static UUID id(JsonNode plan) {
        return UUID.fromString(plan.get("id").asString());
    }

    /** The envelopes of this type about this plan in the outbox, oldest first, each checked against its contract. */
    protected List<JsonNode> outboxEvents(String type, UUID subject) {
        List<String> payloads = db.sql(
                        "SELECT payload FROM outbox WHERE topic = :topic AND msg_key = :key ORDER BY seq")
                .bind("topic", type)
                .bind("key", subject.toString())
                .map(row -> row.get("payload", String.class))
                .all()
                .collectList()
                .block(Duration.ofSeconds(10));
        assertThat(payloads).isNotNull();
        payloads.forEach(EventSchemas::assertValid);
        return payloads.stream().map(JSON::readTree).toList();
    }
}
