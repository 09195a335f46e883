package dev.billing.e2e;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

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
}
