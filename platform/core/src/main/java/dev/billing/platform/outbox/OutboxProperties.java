package dev.billing.platform.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Outbox relay settings ({@code platform.outbox.*}).
 *
 * @param relayEnabled whether this process relays (every replica may: rows are claimed with SKIP LOCKED)
 * @param pollInterval how long the relay sleeps when the table is drained; a commit that wrote
 *     events wakes it at once, so this only bounds how late a retry or another replica's leftover
 *     row goes out (at 100 ms, six idle services ran 60 empty passes a second)
 * @param batchSize rows claimed per transaction
 * @param sendTimeout how long one Kafka send may take before the row is retried later
 * @param initialBackoff first retry delay of a row whose send failed; doubles per attempt
 * @param maxBackoff cap of that delay
 * @param retention how long sent rows are kept (for audit and replay) before they are deleted
 */
@ConfigurationProperties("platform.outbox")
public record OutboxProperties(
        @DefaultValue("true") boolean relayEnabled,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("200") int batchSize,
        @DefaultValue("10s") Duration sendTimeout,
        @DefaultValue("1s") Duration initialBackoff,
        @DefaultValue("5m") Duration maxBackoff,
        @DefaultValue("7d") Duration retention) {

    Duration backoff(int attempts) {
        long factor = 1L << Math.min(Math.max(attempts - 1, 0), 20);
        Duration delay = initialBackoff.multipliedBy(factor);
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }
}
