package dev.billing.plan.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.plan.PlanIT;
import dev.billing.platform.test.TestJwts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

/** POST with an Idempotency-Key: a retry gets the first answer; keys are per caller. */
class PlanIdempotencyIT extends PlanIT {

    @Test
    void aRetryWithTheSameKeyGetsTheFirstAnswer() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = planBody(uniqueCode());
        EntityExchangeResult<String> first = post(body, key, admin);
        assertThat(first.getStatus().value()).isEqualTo(201);
        EntityExchangeResult<String> retry = post(body, key, admin);
        assertThat(retry.getStatus().value()).isEqualTo(201);
        assertThat(retry.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.getResponseHeaders().getLocation())
                .isEqualTo(first.getResponseHeaders().getLocation());
        assertThat(JSON.readTree(retry.getResponseBody())).isEqualTo(JSON.readTree(first.getResponseBody()));

        UUID id =
                UUID.fromString(JSON.readTree(first.getResponseBody()).get("id").asString());
        assertThat(outboxEvents("plan-published", id)).hasSize(1);

        // without the key the same body is a new request: the code is taken
        assertThat(post(body, null, admin).getStatus().value()).isEqualTo(409);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() {
        String key = UUID.randomUUID().toString();
        post(planBody(uniqueCode()), key, admin);
        EntityExchangeResult<String> other = post(planBody(uniqueCode()), key, admin);
        assertThat(other.getStatus().value()).isEqualTo(422);
        assertThat(other.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void keysArePerCaller() {
        String key = UUID.randomUUID().toString();
        String otherAdmin = "Bearer " + TestJwts.shared().token(UUID.randomUUID(), "ADMIN");
        assertThat(post(planBody(uniqueCode()), key, admin).getStatus().value()).isEqualTo(201);
        assertThat(post(planBody(uniqueCode()), key, otherAdmin).getStatus().value())
                .isEqualTo(201);
    }

    @Test
    void concurrentRetriesCreateOnePlan() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = planBody(uniqueCode());
        List<CompletableFuture<EntityExchangeResult<String>>> calls = List.of(
                CompletableFuture.supplyAsync(() -> post(body, key, admin)),
                CompletableFuture.supplyAsync(() -> post(body, key, admin)),
                CompletableFuture.supplyAsync(() -> post(body, key, admin)));
        List<JsonNode> answers = calls.stream()
                .map(CompletableFuture::join)
                .peek(r -> assertThat(r.getStatus().value()).isEqualTo(201))
                .map(r -> JSON.readTree(r.getResponseBody()))
                .toList();
        assertThat(answers).allSatisfy(a -> assertThat(a).isEqualTo(answers.getFirst()));
        Long plans = db.sql("SELECT count(*) FROM plans WHERE code = :code")
                .bind("code", body.get("code"))
                .map(row -> row.get(0, Long.class))
                .one()
                .block(Duration.ofSeconds(10));
        assertThat(plans).isEqualTo(1);
    }

    @Test
    void aMalformedKeyIs400() {
        EntityExchangeResult<String> result = post(planBody(uniqueCode()), "x".repeat(300), admin);
        assertThat(result.getStatus().value()).isEqualTo(400);
    }

    private EntityExchangeResult<String> post(Map<String, Object> body, String key, String bearer) {
        var spec = http().post()
                .uri(PLANS)
                .header(HttpHeaders.AUTHORIZATION, bearer)
                .contentType(MediaType.APPLICATION_JSON);
        if (key != null) {
            spec = spec.header("Idempotency-Key", key);
        }
        return spec.bodyValue(body).exchange().expectBody(String.class).returnResult();
    }
}
