package dev.billing.payment.billing.webhook;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How stored Stripe webhook events are processed ({@code payment.webhooks.*}); verification
 * settings (secrets, tolerance) are {@code payment.stripe.*}.
 *
 * @param processingEnabled whether the background processor runs (tests call {@code runOnce()})
 * @param pollInterval pause between polls when not woken by a new event
 * @param batchSize events claimed per pass
 * @param maxAttempts attempts before an event is kept as FAILED (visible, counted, never deleted)
 * @param initialBackoff delay after the first failure, doubled after each next one
 * @param maxBackoff the longest delay between attempts
 */
@ConfigurationProperties("payment.webhooks")
record WebhookProperties(
        @DefaultValue("true") boolean processingEnabled,
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("50") int batchSize,
        @DefaultValue("12") int maxAttempts,
        @DefaultValue("10s") Duration initialBackoff,
        @DefaultValue("1h") Duration maxBackoff) {

    Duration backoff(int attempts) {
        long factor = 1L << Math.min(Math.max(attempts - 1, 0), 20);
        Duration d = initialBackoff.multipliedBy(factor);
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
