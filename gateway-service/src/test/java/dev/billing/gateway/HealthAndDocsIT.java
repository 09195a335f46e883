package dev.billing.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** GET /health aggregates the services' readiness; one Swagger UI lists every service's API. */
class HealthAndDocsIT extends GatewayTestSupport {

    @Test
    void healthIsUpWhenEveryServiceIsReady() {
        http().get()
                .uri("/health")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("UP")
                .jsonPath("$.gateway")
                .isEqualTo("UP")
                .jsonPath("$.entitlements")
                .isEqualTo("UP")
                .jsonPath("$.services.auth-service")
                .isEqualTo("UP")
                .jsonPath("$.services.plan-service")
                .isEqualTo("UP")
                .jsonPath("$.services.subscription-service")
                .isEqualTo("UP")
                .jsonPath("$.services.payment-service")
                .isEqualTo("UP")
                .jsonPath("$.services.notification-service")
                .isEqualTo("UP");
    }

    @Test
    void healthIs503WhenAServiceIsNotReadyIsDownOrHangs() {
        plans.readiness = "DOWN";
        notifications.stop();
        subscriptions.readinessDelay = Duration.ofSeconds(4);
        try {
            long start = System.nanoTime();
            String body = http().get()
                                    .uri("/health")
                                    .exchange()
                                    .expectStatus()
                                    .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                                    .expectBody()
                                    .jsonPath("$.status")
                                    .isEqualTo("DOWN")
                                    .jsonPath("$.services.plan-service")
                                    .isEqualTo("DOWN")
                                    .jsonPath("$.services.notification-service")
                                    .isEqualTo("DOWN")
                                    .jsonPath("$.services.subscription-service")
                                    .isEqualTo("DOWN")
                                    .jsonPath("$.services.auth-service")
                                    .isEqualTo("UP")
                                    .returnResult()
                                    .getResponseBodyContent()
                            == null
                    ? ""
                    : "checked";
            // the checks run in parallel, each bounded by the 1 s test timeout
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3000));
            assertThat(body).isEqualTo("checked");
        } finally {
            plans.readiness = "UP";
            notifications.start();
            subscriptions.readinessDelay = Duration.ZERO;
        }
        http().get().uri("/health").exchange().expectStatus().isOk();
    }

    @Test
    void swaggerUiListsEveryServicesApiDocument() {
        http().get()
                .uri("/v3/api-docs/gateway/swagger-config")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.urls[?(@.name == 'auth')].url")
                .isEqualTo("/v3/api-docs/auth")
                .jsonPath("$.urls[?(@.name == 'plan')].url")
                .isEqualTo("/v3/api-docs/plan")
                .jsonPath("$.urls[?(@.name == 'subscription')].url")
                .isEqualTo("/v3/api-docs/subscription")
                .jsonPath("$.urls[?(@.name == 'payment')].url")
                .isEqualTo("/v3/api-docs/payment")
                .jsonPath("$.urls[?(@.name == 'notification')].url")
                .isEqualTo("/v3/api-docs/notification");
        http().get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
        http().get()
                .uri("/webjars/swagger-ui/index.html")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.TEXT_HTML);
    }

    @Test
    void eachServicesApiDocumentIsFetchedThroughTheGatewayWithoutAToken() {
        for (String[] doc : new String[][] {
            {"auth", "auth-service"},
            {"plan", "plan-service"},
            {"subscription", "subscription-service"},
            {"payment", "payment-service"},
            {"notification", "notification-service"}
        }) {
            http().get()
                    .uri("/v3/api-docs/" + doc[0])
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.info.title")
                    .isEqualTo(doc[1]);
        }
        // the service sees the gateway's host, so its document names the gateway as the server
        assertThat(auth.last("/v3/api-docs").orElseThrow().header("Host")).isEqualTo("localhost:" + port);
    }
}
