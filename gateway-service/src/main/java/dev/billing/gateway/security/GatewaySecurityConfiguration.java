package dev.billing.gateway.security;

import dev.billing.platform.security.PlatformSecurityProperties;
import dev.billing.platform.security.ProblemAuthenticationHandlers;
import dev.billing.platform.web.ProblemWriter;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The gateway's own security chain (replacing the platform's default): every route needs a
 * verified access token except the public routes listed in {@code gateway.security.public-routes}
 * (method + path). A missing or bad token is a 401 problem and the request never reaches a
 * service. Services verify the token again.
 */
@Configuration(proxyBeanMethods = false)
class GatewaySecurityConfiguration {

    /**
     * Verifies signature (keys from the JWKS, cached, refetched on an unknown {@code kid}), the
     * pinned algorithm (so {@code alg=none} and HS256-with-the-public-key fail), issuer,
     * audience and expiry.
     */
    @Bean
    ReactiveJwtDecoder jwtDecoder(PlatformSecurityProperties platform, GatewaySecurityProperties props, Clock clock) {
        JwksCache keys = new JwksCache(
                WebClient.create(),
                props.jwksUri() != null ? props.jwksUri() : URI.create(platform.jwksUri()),
                props.jwksCacheTtl(),
                props.jwksMinRefreshInterval(),
                clock);
        var builder = NimbusReactiveJwtDecoder.withJwkSource(jwt -> keys.keysFor(jwt.getHeader()));
        for (String name : props.algorithms()) {
            SignatureAlgorithm algorithm = SignatureAlgorithm.from(name.trim().toUpperCase(Locale.ROOT));
            if (algorithm == null) {
                throw new IllegalArgumentException("gateway.security.algorithms: unknown JWS algorithm " + name);
            }
            builder.jwsAlgorithm(algorithm);
        }
        NimbusReactiveJwtDecoder decoder = builder.build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(platform.issuer()), audience(platform.audience())));
        return props.verifiedTokenTtl().isPositive()
                ? new VerifiedTokens(decoder, props.verifiedTokenTtl(), props.verifiedTokenCacheSize(), clock)
                : decoder;
    }

    @Bean
    SecurityWebFilterChain gatewaySecurity(
            ServerHttpSecurity http,
            GatewaySecurityProperties props,
            ReactiveJwtDecoder decoder,
            ProblemWriter problems,
            CorsConfigurationSource cors) {
        var entryPoint = ProblemAuthenticationHandlers.entryPoint(problems);
        var denied = ProblemAuthenticationHandlers.accessDenied(problems);
        ServerWebExchangeMatcher publicRoutes = publicRoutes(props.publicRoutes());
        return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .cors(spec -> spec.configurationSource(cors))
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .securityContextRepository(
                        org.springframework.security.web.server.context.NoOpServerSecurityContextRepository
                                .getInstance())
                .authorizeExchange(exchanges -> exchanges
                        .matchers(publicRoutes)
                        .permitAll()
                        .anyExchange()
                        .authenticated())
                .oauth2ResourceServer(
                        oauth -> oauth.jwt(jwt -> jwt.jwtDecoder(decoder).jwtAuthenticationConverter(rolesConverter()))
                                .authenticationEntryPoint(entryPoint)
                                .accessDeniedHandler(denied))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(entryPoint).accessDeniedHandler(denied))
                .build();
    }

    /** {@code "POST /api/v1/auth/login"} matches that method only; {@code "/x/**"} any method. */
    static ServerWebExchangeMatcher publicRoutes(List<String> routes) {
        List<ServerWebExchangeMatcher> matchers = new ArrayList<>();
        for (String route : routes) {
            String[] parts = route.trim().split("\\s+");
            if (parts.length == 1) {
                matchers.add(ServerWebExchangeMatchers.pathMatchers(parts[0]));
            } else if (parts.length == 2) {
                matchers.add(ServerWebExchangeMatchers.pathMatchers(
                        HttpMethod.valueOf(parts[0].toUpperCase(Locale.ROOT)), parts[1]));
            } else {
                throw new IllegalArgumentException("gateway.security.public-routes: not 'METHOD /path': " + route);
            }
        }
        return matchers.isEmpty()
                ? exchange -> ServerWebExchangeMatcher.MatchResult.notMatch()
                : ServerWebExchangeMatchers.matchers(matchers.toArray(ServerWebExchangeMatcher[]::new));
    }

    // the same mapping as the platform's: the roles claim becomes ROLE_* authorities
    static ReactiveJwtAuthenticationConverterAdapter rolesConverter() {
        var authorities = new JwtGrantedAuthoritiesConverter();
        authorities.setAuthoritiesClaimName("roles");
        authorities.setAuthorityPrefix("ROLE_");
        var converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(authorities);
        return new ReactiveJwtAuthenticationConverterAdapter(converter);
    }

    static OAuth2TokenValidator<Jwt> audience(String expected) {
        return jwt -> jwt.getAudience() != null && jwt.getAudience().contains(expected)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(
                        new OAuth2Error("invalid_token", "The token is not meant for this audience", null));
    }
}
