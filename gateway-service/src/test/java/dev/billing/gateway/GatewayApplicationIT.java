package dev.billing.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.billing.platform.test.IntegrationTest;
import dev.billing.platform.test.TestJwts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The gateway verifies tokens before routing, and routes over real HTTP. */
@IntegrationTest
class GatewayApplicationIT {

    /** A stand-in for auth-service that records what reached it. */
    static final HttpServer upstream;

    static final AtomicReference<String> lastAuthorization = new AtomicReference<>();

    static {
        try {
            upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            upstream.createContext("/api/v1/auth/me", exchange -> {
                lastAuthorization.set(exchange.getRequestHeaders().getFirst(HttpHeaders.AUTHORIZATION));
                byte[] body = "{\"from\":\"upstream\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            upstream.start();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void routes(DynamicPropertyRegistry registry) {
        registry.add(
                "AUTH_SERVICE_URL",
                () -> "http://127.0.0.1:" + upstream.getAddress().getPort());
        registry.add(
                "SUBSCRIPTION_SERVICE_URL",
                () -> "http://127.0.0.1:" + upstream.getAddress().getPort());
    }

    @AfterAll
    static void stop() {
        upstream.stop(0);
    }

    @LocalServerPort
    int port;

    WebTestClient http() {
        return WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    @Test
    void isLiveAndReady() {
        http().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        http().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    @Test
    void routesToTheServiceWithTheCallersToken() {
        String token = TestJwts.shared().token(UUID.randomUUID(), "USER");
        http().get()
                .uri("/api/v1/auth/me")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.from")
                .isEqualTo("upstream");
        assertThat(lastAuthorization.get()).isEqualTo("Bearer " + token);
    }

    @Test
    void aProtectedRouteWithoutAValidTokenNeverReachesTheService() {
        lastAuthorization.set("untouched");
        http().get()
                .uri("/api/v1/subscriptions/me")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http().get()
                .uri("/api/v1/subscriptions/me")
                .header(
                        HttpHeaders.AUTHORIZATION,
                        "Bearer "
                                + TestJwts.shared()
                                        .claims(UUID.randomUUID(), "USER")
                                        .signedBy(TestJwts.foreignKey())
                                        .sign())
                .exchange()
                .expectStatus()
                .isUnauthorized();
        assertThat(lastAuthorization.get()).isEqualTo("untouched");
    }
}
