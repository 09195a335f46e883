package dev.billing.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/** Identity and edge, end to end: the real gateway in front of the real auth-service. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IdentityEdgeIT {

    static final String PASSWORD = "correct horse battery staple";

    private final RunningStack stack = RunningStack.shared();
    private final Gateway gateway = new Gateway(stack);

    @Test
    @Order(1)
    void theGatewayReportsEveryServiceHealthyAndServesOneSwaggerUi() {
        gateway.http.get().uri("/health").exchange().expectStatus().isOk();
        gateway.http
                .get()
                .uri("/v3/api-docs/auth")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.paths['/api/v1/auth/login']")
                .exists();
        gateway.http.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
    }

    @Test
    @Order(2)
    void registerLogInAndReadMeThroughTheGateway() {
        String email = Gateway.newEmail();
        var user = gateway.register(email, PASSWORD);
        var tokens = gateway.login(email, PASSWORD);
        assertThat(tokens.tokenType()).isEqualTo("Bearer");

        gateway.http
                .get()
                .uri("/api/v1/auth/me")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.accessToken())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo(user.id().toString())
                .jsonPath("$.email")
                .isEqualTo(email);

        // the same email again, differently cased
        gateway.http
                .post()
                .uri("/api/v1/auth/register")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email.toUpperCase(), "name", "Twin", "password", PASSWORD))
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    @Order(3)
    void aReusedRefreshTokenRevokesItsFamily() {
        String email = Gateway.newEmail();
        gateway.register(email, PASSWORD);
        var first = gateway.login(email, PASSWORD);
        var second = gateway.http
                .post()
                .uri("/api/v1/auth/refresh")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refreshToken", first.refreshToken()))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Gateway.Tokens.class)
                .returnResult()
                .getResponseBody();

        gateway.http
                .post()
                .uri("/api/v1/auth/refresh")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refreshToken", first.refreshToken()))
                .exchange()
                .expectStatus()
                .isUnauthorized();
        gateway.http
                .post()
                .uri("/api/v1/auth/refresh")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refreshToken", second.refreshToken()))
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    @Order(4)
    void theDemoAdminManagesUsers() {
        var admin = gateway.login(RunningStack.ADMIN_EMAIL, RunningStack.ADMIN_PASSWORD);
        gateway.http
                .get()
                .uri("/api/v1/auth/users?page=0&size=5")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin.accessToken())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items")
                .isArray();

        String email = Gateway.newEmail();
        gateway.register(email, PASSWORD);
        var user = gateway.login(email, PASSWORD);
        gateway.http
                .get()
                .uri("/api/v1/auth/users")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + user.accessToken())
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    @Order(5)
    void badTokensStopAtTheGateway() {
        gateway.http
                .get()
                .uri("/api/v1/auth/me")
                .header(HttpHeaders.AUTHORIZATION, "Bearer not.a.token")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        gateway.http
                .get()
                .uri("/api/v1/subscriptions/me")
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    @Order(6)
    void bruteForceLoginIsCutOffWith429ForThatEmailOnly() {
        String victim = Gateway.newEmail();
        gateway.register(victim, PASSWORD);
        boolean limited = false;
        for (int attempt = 0; attempt < 10 && !limited; attempt++) {
            var result = gateway.http
                    .post()
                    .uri("/api/v1/auth/login")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("email", victim, "password", "wrong password " + attempt))
                    .exchange()
                    .returnResult(String.class);
            int status = result.getStatus().value();
            if (status == 429) {
                limited = true;
                assertThat(result.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER))
                        .isNotBlank();
                assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            } else {
                assertThat(status).isEqualTo(401);
            }
        }
        assertThat(limited).as("a brute-force login is rate-limited").isTrue();

        // the right password for that email is refused too for now, another email is not
        gateway.http
                .post()
                .uri("/api/v1/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", victim, "password", PASSWORD))
                .exchange()
                .expectStatus()
                .isEqualTo(429);
        String other = Gateway.newEmail();
        gateway.register(other, PASSWORD);
        gateway.login(other, PASSWORD);
    }

    @Test
    @Order(100) // last: it stops auth-service for a while
    void aDownedServiceAnswers503AndRecoversWhenItIsBack() {
        String email = Gateway.newEmail();
        gateway.register(email, PASSWORD);
        var tokens = gateway.login(email, PASSWORD);

        stack.kill("auth-service");
        Instant asked = Instant.now();
        gateway.http
                .get()
                .uri("/api/v1/auth/me")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.accessToken())
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(15));

        stack.restart("auth-service");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        int status = 0;
        while (Instant.now().isBefore(deadline) && status != 200) {
            status = gateway.http
                    .get()
                    .uri("/api/v1/auth/me")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.accessToken())
                    .exchange()
                    .returnResult(String.class)
                    .getStatus()
                    .value();
            if (status != 200) {
                RunningStack.sleep(1000);
            }
        }
        assertThat(status)
                .as("the gateway routes to auth-service again once it is back")
                .isEqualTo(200);
    }
}
