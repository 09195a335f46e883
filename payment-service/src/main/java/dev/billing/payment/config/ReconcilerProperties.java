package dev.billing.payment.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The reconciler of provider calls with an unknown outcome ({@code payment.reconciler.*}).
 *
 * @param enabled whether the scheduled job runs (tests call it directly)
 * @param interval pause between passes
 * @param firstCheck how long after an unknown outcome the provider is asked first (then doubling, at most 1 h)
 * @param batchSize calls claimed per pass
 * @param lease how long a claimed call is hidden from other replicas while it is checked
 */
@ConfigurationProperties("payment.reconciler")
public record ReconcilerProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("30s") Duration interval,
        @DefaultValue("1m") Duration firstCheck,
        @DefaultValue("20") int batchSize,
        @DefaultValue("5m") Duration lease) {}
