package dev.billing.platform.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How services check access tokens ({@code platform.security.*}): auth-service signs them and
 * publishes its keys at {@code jwksUri}; every service checks signature, issuer, audience and
 * expiry itself.
 *
 * @param jwksUri where the signing keys are published
 * @param issuer the expected {@code iss}
 * @param audience the expected {@code aud}
 * @param publicPaths path patterns served without a token (health and metrics always are)
 */
@ConfigurationProperties("platform.security")
public record PlatformSecurityProperties(
        @DefaultValue("http://localhost:8081/.well-known/jwks.json")
        String jwksUri,

        @DefaultValue("http://localhost:8081") String issuer,
        @DefaultValue("billing-api") String audience,
        @DefaultValue List<String> publicPaths) {}
