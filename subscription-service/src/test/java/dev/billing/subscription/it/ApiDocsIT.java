package dev.billing.subscription.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The OpenAPI document the gateway's Swagger UI gathers. */
class ApiDocsIT extends SubscriptionIT {

    @Test
    void describesTheEndpointsWithoutAToken() {
        String docs = http().get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(docs)
                .contains(
                        "/api/v1/subscriptions",
                        "/api/v1/subscriptions/{id}/cancel",
                        "/api/v1/subscriptions/{id}/change-plan",
                        "/api/v1/entitlements/me");
    }
}
