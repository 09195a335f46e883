package dev.billing.gateway.entitlement;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The entitlement view and guard ({@code gateway.entitlements.*}).
 *
 * @param topic the compacted topic the view is built from
 * @param startupWait how long a guarded request waits for the view to catch up after a start
 *     before it is answered 503
 * @param pollTimeout the longest one poll of the topic blocks the feed's own thread
 * @param metadataRefresh how often the topic's partitions are looked up again (a topic created
 *     after the gateway started, added partitions)
 * @param retryBackoff the pause after Kafka could not be reached
 */
@ConfigurationProperties("gateway.entitlements")
public record EntitlementProperties(
        @DefaultValue("entitlements-changed") String topic,
        @DefaultValue("5s") Duration startupWait,
        @DefaultValue("500ms") Duration pollTimeout,
        @DefaultValue("10s") Duration metadataRefresh,
        @DefaultValue("2s") Duration retryBackoff) {}
