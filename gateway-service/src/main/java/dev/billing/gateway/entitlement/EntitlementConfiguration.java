package dev.billing.gateway.entitlement;

import dev.billing.platform.event.EventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The entitlement view, its feed from Kafka, the guard and its route filter. */
@Configuration(proxyBeanMethods = false)
class EntitlementConfiguration {

    @Bean
    EntitlementView entitlementView(EventCodec codec, MeterRegistry meters) {
        return new EntitlementView(codec, meters);
    }

    @Bean
    EntitlementFeed entitlementFeed(EntitlementView view, KafkaProperties kafka, EntitlementProperties props) {
        return new EntitlementFeed(view, kafka.buildConsumerProperties(), props);
    }

    @Bean
    EntitlementGuard entitlementGuard(
            EntitlementView view, EntitlementFeed feed, EntitlementProperties props, Clock clock) {
        return new EntitlementGuard(view, feed, props, clock);
    }

    @Bean
    RequireEntitlementGatewayFilterFactory requireEntitlementGatewayFilterFactory(EntitlementGuard guard) {
        return new RequireEntitlementGatewayFilterFactory(guard);
    }

    /**
     * {@code entitlements} in {@code /actuator/health/readiness}: DOWN until the view has caught up
     * with the topic after a start, so a new replica gets traffic only once it knows everyone's
     * entitlements. Later Kafka outages do not flip it: the view keeps answering from what it holds.
     */
    @Bean
    HealthIndicator entitlementsHealthIndicator(EntitlementFeed feed, EntitlementView view) {
        return () -> feed.ready()
                ? Health.up().withDetail("users", view.size()).build()
                : Health.down().withDetail("reason", "loading").build();
    }
}
