package dev.billing.payment.billing.provider.stripe;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Stripe provider's outbound settings ({@code payment.stripe-provider.*}); the client's key,
 * base URL, timeouts and retries are {@code payment.stripe.*}.
 *
 * @param successUrl where Stripe sends the payer after a checkout ({@code STRIPE_SUCCESS_URL};
 *     empty: {@code <PUBLIC_BASE_URL>/checkout/success?session_id={CHECKOUT_SESSION_ID}})
 * @param cancelUrl where a payer who gives up returns ({@code STRIPE_CANCEL_URL}; empty:
 *     {@code <PUBLIC_BASE_URL>/checkout/canceled})
 * @param portalReturnUrl where the billing portal returns ({@code STRIPE_PORTAL_RETURN_URL}; empty: {@code PUBLIC_BASE_URL})
 * @param circuitBreaker the breaker around every Stripe call
 */
@ConfigurationProperties("payment.stripe-provider")
public record StripeProviderProperties(
        @DefaultValue("") String successUrl,
        @DefaultValue("") String cancelUrl,
        @DefaultValue("") String portalReturnUrl,
        @DefaultValue CircuitBreaker circuitBreaker) {

    /**
     * @param failureRateThreshold percentage of failed calls (connection errors, 429, 5xx after
     *     stripe-java's retries; never a 4xx) in the window that opens the breaker
     * @param slidingWindowSize calls in the count-based window
     * @param minimumNumberOfCalls calls before the rate counts
     * @param waitInOpenState how long an open breaker refuses calls before letting a few through
     */
    public record CircuitBreaker(
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("20") int slidingWindowSize,
            @DefaultValue("10") int minimumNumberOfCalls,
            @DefaultValue("30s") Duration waitInOpenState) {}
}
