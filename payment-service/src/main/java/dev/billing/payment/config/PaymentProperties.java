package dev.billing.payment.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * payment-service settings ({@code payment.*}).
 *
 * @param publicBaseUrl public base URL of the API (the gateway); checkout URLs are {@code <this>/checkout/<id>}
 * @param checkoutTtl how long a checkout session accepts payment (23 h: inside subscription-service's 23 h INCOMPLETE window)
 * @param renewals the renewal job
 * @param dunning retry delays after a failed renewal, counted from the due date
 */
@ConfigurationProperties("payment")
public record PaymentProperties(
        @DefaultValue("http://localhost:8080") String publicBaseUrl,
        @DefaultValue("23h") Duration checkoutTtl,
        @DefaultValue Renewals renewals,
        @DefaultValue Dunning dunning) {

    /**
     * @param enabled whether the scheduled job runs (tests call it directly)
     * @param interval pause between passes
     * @param batchSize subscriptions/invoices claimed per pass
     * @param chargeLease how long a claimed invoice is kept from other replicas while its charge runs
     */
    public record Renewals(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("5s") Duration interval,
            @DefaultValue("50") int batchSize,
            @DefaultValue("5m") Duration chargeLease) {}

    public record Dunning(@DefaultValue({"1d", "3d", "5d"}) List<Duration> retryDelays) {}
}
