package dev.billing.gateway.ratelimit;

import dev.billing.gateway.ratelimit.RateLimitProperties.Limit;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

/**
 * Spring Cloud Gateway's {@link RedisRateLimiter} (a token bucket in one atomic Lua script),
 * shared by every gateway replica. Its buckets refill per second, so "N requests per P seconds"
 * becomes a refill of N tokens a second, P tokens a request and a capacity of N x P tokens.
 * If Redis does not answer, requests are allowed (the limiter fails open, as Spring Cloud
 * Gateway's does) and the error is logged.
 */
final class RedisRateLimiterStore implements RateLimiterStore {

    private final ApplicationContext context;
    private final ReactiveStringRedisTemplate redis;
    private final Map<String, RedisRateLimiter> limiters = new ConcurrentHashMap<>();

    RedisRateLimiterStore(ApplicationContext context, ReactiveStringRedisTemplate redis) {
        this.context = context;
        this.redis = redis;
    }

    @Override
    public Mono<Decision> consume(Limit limit, String key) {
        RedisRateLimiter limiter = limiters.computeIfAbsent(limit.name(), name -> limiterFor(limit));
        return limiter.isAllowed(limit.name(), key)
                .map(response -> new Decision(response.isAllowed(), limit.secondsPerRequest()));
    }

    private RedisRateLimiter limiterFor(Limit limit) {
        int periodSeconds = (int) Math.max(1, Math.round(limit.period().toMillis() / 1000.0));
        RedisRateLimiter limiter =
                new RedisRateLimiter(limit.requests(), (long) limit.requests() * periodSeconds, periodSeconds);
        limiter.setIncludeHeaders(false);
        limiter.setApplicationContext(context);
        return limiter;
    }

    @Override
    public Mono<Boolean> healthy() {
        return redis.execute(connection -> connection.ping())
                .next()
                .map("PONG"::equalsIgnoreCase)
                .timeout(Duration.ofSeconds(1))
                .onErrorReturn(false);
    }

    @Override
    public String name() {
        return "redis";
    }
}
