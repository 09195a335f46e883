package dev.billing.plan.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * plan-service settings ({@code plan.*}).
 *
 * @param seedDemo create the demo plans Basic, Standard and Premium on startup if absent ({@code PLAN_SEED_DEMO})
 * @param maxPageSize the largest {@code size} of a page of the public list
 * @param catalogMaxAge {@code Cache-Control: max-age} of the public catalog answers
 * @param idempotencyRetention how long an {@code Idempotency-Key} of a POST is remembered
 * @param topics how the topics this service produces are created
 */
@ConfigurationProperties("plan")
public record PlanProperties(
        @DefaultValue("false") boolean seedDemo,
        @DefaultValue("100") int maxPageSize,
        @DefaultValue("60s") Duration catalogMaxAge,
        @DefaultValue("24h") Duration idempotencyRetention,
        @DefaultValue("1h") Duration janitorInterval,
        @DefaultValue Topics topics) {

    /**
     * @param partitions partitions of each topic (created only if absent)
     * @param replicas replication factor (1 for a one-broker local stack; 3 in production)
     */
    public record Topics(
            @DefaultValue("3") int partitions,
            @DefaultValue("1") int replicas) {}
}
