package dev.billing.gateway.health;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code GET /health} ({@code gateway.health.*}): how long each service's readiness may take. */
@ConfigurationProperties("gateway.health")
public record HealthProperties(@DefaultValue("2s") Duration timeout) {}
