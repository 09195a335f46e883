package dev.billing.subscription.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code subscription.*} settings.
 *
 * @param entitlementGrace how long past the period (or trial) end an entitlement stays valid while
 *     the renewal payment is on its way (not for a subscription set to cancel)
 * @param trialPaymentGrace how long after a trial end the subscription waits for payment-service's
 *     charge before it expires unpaid
 * @param jobs the scheduled jobs
 */
@ConfigurationProperties("subscription")
public record SubscriptionProperties(Duration entitlementGrace, Duration trialPaymentGrace, Jobs jobs) {

    public SubscriptionProperties {
        entitlementGrace = entitlementGrace == null ? Duration.ofHours(1) : entitlementGrace;
        trialPaymentGrace = trialPaymentGrace == null ? Duration.ofHours(24) : trialPaymentGrace;
        jobs = jobs == null ? new Jobs(true, Duration.ofSeconds(5), 100) : jobs;
    }

    /**
     * @param enabled run the jobs on a schedule in this replica
     * @param interval pause between two runs
     * @param batchSize rows claimed per transaction
     */
    public record Jobs(boolean enabled, Duration interval, int batchSize) {
        public Jobs {
            interval = interval == null ? Duration.ofSeconds(5) : interval;
            batchSize = batchSize < 1 ? 100 : batchSize;
        }
    }
}
