package dev.billing.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** HTTP through the running gateway, with the few calls every scenario needs. */
final class Gateway {

    final WebTestClient http;

    Gateway(RunningStack stack) {
        this.http = WebTestClient.bindToServer()
                .baseUrl(stack.gateway())
                .responseTimeout(Duration.ofSeconds(60))
                .build();
    }

    record Tokens(String accessToken, String refreshToken, String tokenType, long expiresIn) {}

    record User(UUID id, String email, String name) {}

    User register(String email, String password) {
        return http.post()
                .uri("/api/v1/auth/register")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "name", "E2E " + email, "password", password))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(User.class)
                .returnResult()
                .getResponseBody();
    }

    Tokens login(String email, String password) {
        return http.post()
                .uri("/api/v1/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", password))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Tokens.class)
                .returnResult()
                .getResponseBody();
    }

    static String newEmail() {
        return "e2e-" + UUID.randomUUID() + "@example.com";
    }

    static final Duration EVENTUALLY = Duration.ofSeconds(60);
    private static final JsonMapper json = JsonMapper.builder().build();

    /** Registers a new user and logs in: their access token. */
    String newCustomer(String password) {
        String email = newEmail();
        register(email, password);
        return login(email, password).accessToken();
    }

    String planId(String code) {
        JsonNode plans = read(http.get()
                .uri("/api/v1/plans?size=100")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody());
        for (JsonNode plan : plans.get("items")) {
            if (code.equals(plan.get("code").asString())) {
                return plan.get("id").asString();
            }
        }
        throw new AssertionError("no plan " + code + " in " + plans);
    }

    JsonNode get(String token, String path) {
        return read(http.get()
                .uri(path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody());
    }

    JsonNode post(String token, String path, Object body, int status) {
        return read(http.post()
                .uri(path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isEqualTo(status)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody());
    }

    /** Polls {@code path} until {@code condition} holds (the services follow each other's events). */
    JsonNode await(String token, String path, Predicate<JsonNode> condition) {
        Instant deadline = Instant.now().plus(EVENTUALLY);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = get(token, path);
            if (condition.test(last)) {
                return last;
            }
            RunningStack.sleep(200);
        }
        throw new AssertionError("condition not reached in " + EVENTUALLY + " for " + path + "; last: " + last);
    }

    /** The gateway's entitlement view follows the events: give it a moment. */
    void awaitDemoPremium(String token, int status) {
        Instant deadline = Instant.now().plus(EVENTUALLY);
        int seen = 0;
        while (Instant.now().isBefore(deadline)) {
            seen = http.get()
                    .uri("/api/v1/demo/premium")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .exchange()
                    .returnResult(String.class)
                    .getStatus()
                    .value();
            if (seen == status) {
                return;
            }
            RunningStack.sleep(250);
        }
        assertThat(seen).as("GET /api/v1/demo/premium").isEqualTo(status);
    }

    static String status(JsonNode subscription) {
        return subscription.path("status").asString();
    }

    static JsonNode read(String body) {
        return json.readTree(body == null ? "null" : body);
    }
}
