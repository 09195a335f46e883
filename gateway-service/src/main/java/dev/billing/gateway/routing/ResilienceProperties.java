package dev.billing.gateway.routing;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Timeouts and circuit breakers, one breaker per routed service ({@code gateway.resilience.*}).
 *
 * @param timeout how long a service may take to answer before the gateway answers 504
 * @param timeouts per-service overrides of {@code timeout}, by route id (e.g. {@code payment-service})
 * @param failureRateThreshold percentage of failed calls (connection errors, timeouts) that opens
 *     the breaker
 * @param slidingWindowSize calls the failure rate is computed over
 * @param minimumNumberOfCalls calls needed before the rate counts
 * @param waitDurationInOpenState how long an open breaker answers 503 at once before letting
 *     trial calls through
 * @param permittedCallsInHalfOpenState trial calls that decide whether it closes again
 */
@ConfigurationProperties("gateway.resilience")
public record ResilienceProperties(
        @DefaultValue("10s") Duration timeout,
        @DefaultValue Map<String, Duration> timeouts,
        @DefaultValue("50") float failureRateThreshold,
        @DefaultValue("20") int slidingWindowSize,
        @DefaultValue("10") int minimumNumberOfCalls,
        @DefaultValue("10s") Duration waitDurationInOpenState,
        @DefaultValue("3") int permittedCallsInHalfOpenState) {

    Duration timeoutFor(String id) {
        return timeouts.getOrDefault(id, timeout);
    }
}
