package dev.billing.gateway.web;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Browser access from other origins ({@code gateway.cors.*}). No origin is allowed unless
 * listed in {@code CORS_ALLOWED_ORIGINS}.
 */
@ConfigurationProperties("gateway.cors")
public record CorsProperties(
        @DefaultValue List<String> allowedOrigins,

        @DefaultValue({"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
        List<String> allowedMethods,

        @DefaultValue({"Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"})
        List<String> allowedHeaders,

        @DefaultValue({"X-Request-Id", "Retry-After", "Location"})
        List<String> exposedHeaders,

        @DefaultValue("false") boolean allowCredentials,
        @DefaultValue("1h") Duration maxAge) {}
