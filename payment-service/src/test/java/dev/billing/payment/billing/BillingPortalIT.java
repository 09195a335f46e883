package dev.billing.payment.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.payment.PaymentIT;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The billing portal with the simulated provider (Stripe mode: {@code StripeProviderIT}). */
class BillingPortalIT extends PaymentIT {

    @Test
    void theSimulatedProviderHasNoBillingPortal() {
        UUID user = UUID.randomUUID();
        http().post()
                .uri("/api/v1/billing-portal")
                .header("Authorization", "Bearer " + token(user))
                .exchange()
                .expectStatus()
                .isNotFound();

        subscribe(UUID.randomUUID(), user);
        http().post()
                .uri("/api/v1/billing-portal")
                .header("Authorization", "Bearer " + token(user))
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentTypeCompatibleWith("application/problem+json")
                .expectBody(String.class)
                .value(problem -> assertThat(problem).contains("needs the Stripe provider"));
    }

    @Test
    void theBillingPortalNeedsAToken() {
        http().post().uri("/api/v1/billing-portal").exchange().expectStatus().isUnauthorized();
    }
}
