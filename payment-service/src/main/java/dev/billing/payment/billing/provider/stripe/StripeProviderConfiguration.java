package dev.billing.payment.billing.provider.stripe;

import com.stripe.StripeClient;
import dev.billing.payment.config.PaymentProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/** The Stripe provider, selected by a Stripe API key ({@code STRIPE_API_KEY}). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${payment.stripe.api-key:}' != ''")
@EnableConfigurationProperties(StripeProviderProperties.class)
class StripeProviderConfiguration {

    /** One breaker for the Stripe API: a Stripe outage fails fast instead of tying up threads. */
    @Bean
    CircuitBreaker stripeCircuitBreaker(StripeProviderProperties props) {
        var cb = props.circuitBreaker();
        return CircuitBreaker.of(
                "stripe",
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(cb.slidingWindowSize())
                        .minimumNumberOfCalls(cb.minimumNumberOfCalls())
                        .failureRateThreshold(cb.failureRateThreshold())
                        .waitDurationInOpenState(cb.waitInOpenState())
                        // a refusal (4xx) is Stripe working as designed, not a reason to stop calling
                        .recordException(StripeApi::unhealthy)
                        .build());
    }

    @Bean
    StripePaymentProvider stripePaymentProvider(
            StripeClient client,
            CircuitBreaker stripeCircuitBreaker,
            DatabaseClient db,
            Clock clock,
            PaymentProperties payment,
            StripeProviderProperties props) {
        return new StripePaymentProvider(
                new StripeApi(client, stripeCircuitBreaker), new StripeStore(db), clock, payment, props);
    }
}
