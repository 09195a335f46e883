package dev.billing.gateway.security;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Token checks at the gateway ({@code gateway.security.*}). Issuer, audience and the JWKS URI
 * are the platform's ({@code platform.security.*}: {@code JWT_ISSUER}, {@code JWT_AUDIENCE},
 * {@code JWKS_URI}).
 *
 * @param jwksUri where the signing keys are fetched; unset: the platform's ({@code JWKS_URI})
 * @param algorithms the only JWS algorithms accepted (RS256 unless configured)
 * @param jwksCacheTtl how long fetched signing keys are used before they are fetched again
 * @param jwksMinRefreshInterval a token with an unknown {@code kid} refetches the keys at most
 *     this often (protects auth-service from a flood of made-up key ids)
 * @param publicRoutes {@code "METHOD /pattern"} or {@code "/pattern"} served without a token
 * @param stripHeaders identity headers removed from every request before it is routed
 * @param stripHeaderPrefixes header name prefixes removed likewise
 * @param verifiedTokenTtl how long a verified token is remembered (never past its expiry); zero:
 *     every request verifies its token again
 * @param verifiedTokenCacheSize at most this many tokens are remembered
 */
@ConfigurationProperties("gateway.security")
public record GatewaySecurityProperties(
        @Nullable URI jwksUri,
        @DefaultValue("RS256") List<String> algorithms,
        @DefaultValue("5m") Duration jwksCacheTtl,
        @DefaultValue("10s") Duration jwksMinRefreshInterval,
        @DefaultValue List<String> publicRoutes,
        @DefaultValue List<String> stripHeaders,
        @DefaultValue List<String> stripHeaderPrefixes,
        @DefaultValue("5m") Duration verifiedTokenTtl,
        @DefaultValue("100000") long verifiedTokenCacheSize) {}
