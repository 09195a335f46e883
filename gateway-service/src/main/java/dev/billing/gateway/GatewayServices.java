package dev.billing.gateway;

import java.net.URI;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where each routed service runs ({@code gateway.services.*}, from the {@code *_SERVICE_URL} env
 * vars). The routes, {@code GET /health} and the Swagger UI use these.
 */
@ConfigurationProperties("gateway")
public record GatewayServices(Map<String, URI> services) {}
