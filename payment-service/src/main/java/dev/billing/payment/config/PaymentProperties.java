package dev.billing.payment.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * payment-service settings ({@code payment.*}).
 *
 * @param publicBaseUrl public base URL of the API (the gateway); checkout URLs are {@code <this>/checkout/<id>}
 * @param checkoutTtl how long a checkout session accepts payment (23 h: inside subscription-service's 23 h INCOMPLETE window)
 * @param renewals the renewal job
 * @param dunning retry delays after a failed renewal, counted from the due date
 * @param stripe the Stripe API client and webhook verification
 */
@ConfigurationProperties("payment")
public record PaymentProperties(
        @DefaultValue("http://localhost:8080") String publicBaseUrl,
        @DefaultValue("23h") Duration checkoutTtl,
        @DefaultValue Renewals renewals,
        @DefaultValue Dunning dunning,
        @DefaultValue Stripe stripe) {

    /**
     * @param enabled whether the scheduled job runs (tests call it directly)
     * @param interval pause between passes
     * @param batchSize subscriptions/invoices claimed per pass
     * @param chargeLease how long a claimed invoice is kept from other replicas while its charge runs
     */
    public record Renewals(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("5s") Duration interval,
            @DefaultValue("50") int batchSize,
            @DefaultValue("5m") Duration chargeLease) {}

    public record Dunning(@DefaultValue({"1d", "3d", "5d"}) List<Duration> retryDelays) {}

    /**
     * @param apiKey {@code STRIPE_API_KEY}: set selects the Stripe provider, empty the simulated one
     * @param apiBase Stripe's API base URL (a local fake in tests and the e2e stack)
     * @param connectTimeout connect timeout of Stripe calls
     * @param readTimeout read timeout of Stripe calls (a timed-out write has an unknown outcome)
     * @param maxNetworkRetries stripe-java's own retries of connection errors, 409 and 5xx (same
     *     idempotency key, exponential backoff)
     * @param webhookSecrets {@code STRIPE_WEBHOOK_SECRET}: endpoint signing secrets, comma-separated
     *     (several during a rotation); empty: {@code /webhooks/stripe} accepts nothing
     * @param webhookTolerance how old a signed timestamp may be
     */
    public record Stripe(
            @DefaultValue("") String apiKey,
            @DefaultValue("https://api.stripe.com") String apiBase,
            @DefaultValue("5s") Duration connectTimeout,
            @DefaultValue("20s") Duration readTimeout,
            @DefaultValue("2") int maxNetworkRetries,
            @DefaultValue List<String> webhookSecrets,
            @DefaultValue("5m") Duration webhookTolerance) {

        public boolean enabled() {
            return apiKey != null && !apiKey.isBlank();
        }
    }
}
