package dev.billing.gateway.ratelimit;

import java.util.Locale;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** Picks where the rate-limit buckets live: Redis when it is configured, this JVM otherwise. */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    @Bean
    @Conditional(RedisConfigured.class)
    RateLimiterStore redisRateLimiterStore(ApplicationContext context, ReactiveStringRedisTemplate redis) {
        return new RedisRateLimiterStore(context, redis);
    }

    @Bean
    @Conditional(RedisNotConfigured.class)
    RateLimiterStore inMemoryRateLimiterStore(RateLimitProperties props) {
        var longest =
                props.period().compareTo(props.credentialPeriod()) > 0 ? props.period() : props.credentialPeriod();
        return new InMemoryRateLimiterStore(longest, 100_000);
    }

    /** {@code gateway.rate-limit.store=redis}, or {@code auto} with {@code REDIS_HOST} set. */
    static boolean redisConfigured(ConditionContext context) {
        var env = context.getEnvironment();
        String store =
                env.getProperty("gateway.rate-limit.store", "auto").trim().toLowerCase(Locale.ROOT);
        return switch (store) {
            case "redis" -> true;
            case "memory" -> false;
            case "auto" -> !env.getProperty("REDIS_HOST", "").isBlank();
            default ->
                throw new IllegalArgumentException(
                        "gateway.rate-limit.store (RATE_LIMIT_STORE) must be auto, redis or memory, not " + store);
        };
    }

    static final class RedisConfigured extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return redisConfigured(context)
                    ? ConditionOutcome.match("rate limits in Redis")
                    : ConditionOutcome.noMatch("rate limits in memory");
        }
    }

    static final class RedisNotConfigured extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return redisConfigured(context)
                    ? ConditionOutcome.noMatch("rate limits in Redis")
                    : ConditionOutcome.match("rate limits in memory");
        }
    }
}
