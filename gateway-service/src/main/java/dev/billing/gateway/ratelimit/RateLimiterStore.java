package dev.billing.gateway.ratelimit;

import dev.billing.gateway.ratelimit.RateLimitProperties.Limit;
import reactor.core.publisher.Mono;

/** Where the buckets live: in this JVM, or in Redis (shared by every gateway replica). */
public interface RateLimiterStore {

    /** Takes one request from the bucket of {@code key} under {@code limit}. */
    Mono<Decision> consume(Limit limit, String key);

    /** Redis: whether it answers (for {@code GET /health}); memory: always. */
    Mono<Boolean> healthy();

    /** Whether the store is a shared one that {@code GET /health} should check. */
    default boolean external() {
        return !"memory".equals(name());
    }

    String name();

    record Decision(boolean allowed, long retryAfterSeconds) {}
}
