package dev.billing.gateway.routing;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBufferLimitException;

/**
 * Each route's {@code CircuitBreaker} filter gets a breaker named after its service: a time
 * limiter ({@code 504} past the timeout) and a count-based breaker that answers {@code 503} at
 * once while the service is failing, then lets trial calls through and closes when they succeed.
 * Only connection failures and timeouts count; a service's own error answers pass through.
 */
@Configuration(proxyBeanMethods = false)
class ResilienceConfiguration {

    @Bean
    Customizer<ReactiveResilience4JCircuitBreakerFactory> circuitBreakers(ResilienceProperties props) {
        return factory -> factory.configureDefault(id -> new Resilience4JConfigBuilder(id)
                .timeLimiterConfig(TimeLimiterConfig.custom()
                        .timeoutDuration(props.timeoutFor(id))
                        .cancelRunningFuture(true)
                        .build())
                .circuitBreakerConfig(CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(props.slidingWindowSize())
                        .minimumNumberOfCalls(props.minimumNumberOfCalls())
                        .failureRateThreshold(props.failureRateThreshold())
                        .waitDurationInOpenState(props.waitDurationInOpenState())
                        .permittedNumberOfCallsInHalfOpenState(props.permittedCallsInHalfOpenState())
                        .automaticTransitionFromOpenToHalfOpenEnabled(false)
                        // a client's oversized streamed body is the client's fault, not the service's
                        .recordException(ex -> !causedBy(ex, DataBufferLimitException.class))
                        .build())
                .build());
    }

    static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
