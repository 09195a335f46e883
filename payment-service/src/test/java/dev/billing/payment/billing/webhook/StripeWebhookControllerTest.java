package dev.billing.payment.billing.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.payment.config.PaymentProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;
import reactor.test.StepVerifier;

/** Without a configured secret nothing can be verified: 503, and nothing reaches the store. */
class StripeWebhookControllerTest {

    private static PaymentProperties withSecrets(List<String> secrets) {
        return new PaymentProperties(
                "http://localhost",
                Duration.ofHours(23),
                new PaymentProperties.Renewals(false, Duration.ofSeconds(5), 50, Duration.ofMinutes(5)),
                new PaymentProperties.Dunning(List.of(Duration.ofDays(1))),
                new PaymentProperties.Stripe(
                        "",
                        "http://localhost",
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        0,
                        secrets,
                        Duration.ofMinutes(5)));
    }

    @Test
    void noConfiguredSecretIs503AndStoresNothing() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
        String payload = StripeFixtures.event(
                StripeFixtures.eventId(),
                "invoice.paid",
                clock.instant().getEpochSecond(),
                StripeFixtures.resource("invoice"));
        String header = StripeFixtures.signature(
                payload, StripeFixtures.SECRET, clock.instant().getEpochSecond());
        for (List<String> none : List.of(List.<String>of(), List.of(" "))) {
            // no store and no processor: touching either would fail the test
            var controller = new StripeWebhookController(null, null, withSecrets(none), clock);
            StepVerifier.create(controller.receive(header, payload.getBytes(StandardCharsets.UTF_8)))
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(ErrorResponseException.class);
                        var problem = ((ErrorResponseException) e).getBody();
                        assertThat(problem.getStatus()).isEqualTo(503);
                        assertThat(problem.getTitle()).isEqualTo("Webhook secret not configured");
                    })
                    .verify();
        }
    }
}
