package dev.billing.payment.billing.provider.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import dev.billing.payment.billing.application.PaymentProvider.OutcomeUnknown;
import dev.billing.payment.billing.application.PaymentProvider.Rejected;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** How Stripe's failures reach the port and the breaker (no network: the call throws directly). */
class StripeApiTest {

    private final CircuitBreaker breaker = CircuitBreaker.of(
            "test",
            CircuitBreakerConfig.custom()
                    .slidingWindowSize(2)
                    .minimumNumberOfCalls(2)
                    .failureRateThreshold(100)
                    .recordException(StripeApi::unhealthy)
                    .build());
    private final StripeApi api = new StripeApi(null, breaker);

    private void expect(StripeException thrown, Class<? extends Throwable> type, String message) {
        StepVerifier.create(api.call("test call", c -> {
                    throw thrown;
                }))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(type).hasMessageContaining(message))
                .verify();
    }

    @Test
    void aTimeoutIsAnUnknownOutcome() {
        expect(
                new ApiConnectionException("IOException during API request", new SocketTimeoutException()),
                OutcomeUnknown.class,
                "no answer");
    }

    @Test
    void aServerErrorOrRateLimitIsAnUnknownOutcome() {
        expect(new ApiException("boom", "req_1", "api_error", 500, null), OutcomeUnknown.class, "HTTP 500");
        expect(
                new RateLimitException("slow down", null, "req_2", "rate_limit", 429, null),
                OutcomeUnknown.class,
                "HTTP 429");
    }

    @Test
    void aClientErrorIsARefusalWithStripesCodeAndMessage() {
        expect(
                new InvalidRequestException("No such price", "price", "req_3", "resource_missing", 400, null),
                Rejected.class,
                "HTTP 400 resource_missing (No such price");
    }

    @Test
    void onlyUnhealthyAnswersOpenTheBreaker() {
        for (int i = 0; i < 3; i++) {
            expect(new InvalidRequestException("bad", null, null, "x", 400, null), Rejected.class, "bad");
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        expect(new ApiException("boom", null, null, 503, null), OutcomeUnknown.class, "HTTP 503");
        expect(new ApiException("boom", null, null, 503, null), OutcomeUnknown.class, "HTTP 503");
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        expect(new ApiException("never thrown", null, null, 500, null), OutcomeUnknown.class, "circuit breaker open");
    }
}
