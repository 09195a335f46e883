package dev.billing.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rate limits ({@code gateway.rate-limit.*}). Each limit is a token bucket of {@code requests}
 * that refills fully over {@code period} (so it also allows a burst of that size).
 *
 * @param store {@code auto} (Redis when {@code REDIS_HOST} is set, in memory otherwise),
 *     {@code redis} or {@code memory}
 * @param requests every request, per token subject or (anonymous) per client IP
 * @param period the period of {@code requests}
 * @param credentialRequests POSTs to the credential paths, per client IP + email
 * @param credentialPeriod the period of {@code credentialRequests}
 * @param credentialPaths login, token, register, password reset and login-code paths
 * @param webhookRequests requests to the webhook paths, per client IP, instead of {@code requests}:
 *     a payment provider posts from a few addresses in bursts, and each request carries its own
 *     signature (checked by the service)
 * @param webhookPeriod the period of {@code webhookRequests}
 * @param webhookPaths where providers post events ({@code /webhooks/stripe})
 * @param trustedProxies how many {@code X-Forwarded-For} hops proxies in front of the gateway
 *     add (0: the client is the TCP peer)
 */
@ConfigurationProperties("gateway.rate-limit")
public record RateLimitProperties(
        @DefaultValue("auto") String store,
        @DefaultValue("100") int requests,
        @DefaultValue("1s") Duration period,
        @DefaultValue("5") int credentialRequests,
        @DefaultValue("1m") Duration credentialPeriod,
        @DefaultValue List<String> credentialPaths,
        @DefaultValue("2000") int webhookRequests,
        @DefaultValue("1s") Duration webhookPeriod,
        @DefaultValue("/webhooks/stripe") List<String> webhookPaths,
        @DefaultValue("0") int trustedProxies) {

    Limit general() {
        return new Limit("general", requests, period);
    }

    Limit webhooks() {
        return new Limit("webhooks", webhookRequests, webhookPeriod);
    }

    Limit credentials() {
        return new Limit("credentials", credentialRequests, credentialPeriod);
    }

    /** {@code requests} per {@code period}, named for its keys. */
    public record Limit(String name, int requests, Duration period) {
        public Limit {
            if (requests < 1 || period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("rate limit " + name + ": requests and period must be positive");
            }
        }

        /** Seconds until one more request is allowed when the bucket is empty. */
        long secondsPerRequest() {
            return Math.max(1, (long) Math.ceil(period.toMillis() / 1000.0 / requests));
        }
    }
}
