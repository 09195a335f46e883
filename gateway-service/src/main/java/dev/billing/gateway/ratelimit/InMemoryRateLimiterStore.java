package dev.billing.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.billing.gateway.ratelimit.RateLimitProperties.Limit;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * Bucket4j token buckets in this JVM (one gateway replica, or a local run without Redis). Idle
 * buckets are dropped after twice the longest period, and at most {@code maxKeys} are held, so a
 * flood of distinct keys cannot exhaust memory.
 */
final class InMemoryRateLimiterStore implements RateLimiterStore {

    private final Cache<String, Bucket> buckets;

    InMemoryRateLimiterStore(Duration longestPeriod, long maxKeys) {
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(longestPeriod.multipliedBy(2))
                .maximumSize(maxKeys)
                .build();
    }

    @Override
    public Mono<Decision> consume(Limit limit, String key) {
        Bucket bucket = buckets.get(limit.name() + ":" + key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(limit.requests())
                        .refillGreedy(limit.requests(), limit.period())
                        .build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return Mono.just(new Decision(true, 0));
        }
        long seconds = Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / 1_000_000_000.0));
        return Mono.just(new Decision(false, seconds));
    }

    @Override
    public Mono<Boolean> healthy() {
        return Mono.just(true);
    }

    @Override
    public String name() {
        return "memory";
    }
}
