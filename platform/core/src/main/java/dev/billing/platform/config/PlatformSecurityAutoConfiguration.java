package dev.billing.platform.config;

import dev.billing.platform.security.PlatformSecurityProperties;
import dev.billing.platform.security.ProblemAuthenticationHandlers;
import dev.billing.platform.web.ProblemWriter;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
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

/**
 * Every service is an OAuth2 resource server: it verifies the access token itself (signature by
 * the auth-service's published keys, issuer, audience, expiry) and trusts no identity header.
 * The {@code roles} claim becomes {@code ROLE_*} authorities. A service with other needs
 * declares its own {@link SecurityWebFilterChain}.
 */
@AutoConfiguration(
        beforeName = {
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.reactive.ReactiveOAuth2ResourceServerWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration"
        })
@EnableConfigurationProperties(PlatformSecurityProperties.class)
@EnableWebFluxSecurity
public class PlatformSecurityAutoConfiguration {

    static final List<String> ALWAYS_PUBLIC = List.of(
            "/actuator/health/**", "/actuator/health", "/actuator/prometheus", "/actuator/info", "/v3/api-docs/**");

    /**
     * No observation of Spring Security's own filters, authentications and authorizations: it
     * wrapped every filter of the chain in a timer and a span, per request, and halved the gateway's
     * throughput. {@code http.server.requests} still times and traces every request.
     */
    @Bean
    @ConditionalOnMissingBean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    @ConditionalOnMissingBean
    ReactiveJwtDecoder jwtDecoder(PlatformSecurityProperties props) {
        // Algorithms pinned: a token signed with anything else (none, HS256) is rejected.
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(props.jwksUri())
                .jwsAlgorithms(algorithms -> {
                    algorithms.add(SignatureAlgorithm.RS256);
                    algorithms.add(SignatureAlgorithm.ES256);
                })
                .build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(props.issuer()), audience(props.audience())));
        return decoder;
    }

    @Bean
    @ConditionalOnMissingBean(SecurityWebFilterChain.class)
    SecurityWebFilterChain platformSecurity(
            ServerHttpSecurity http,
            PlatformSecurityProperties props,
            ReactiveJwtDecoder decoder,
            ProblemWriter problems) {
        var entryPoint = ProblemAuthenticationHandlers.entryPoint(problems);
        var denied = ProblemAuthenticationHandlers.accessDenied(problems);
        return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .authorizeExchange(exchanges -> {
                    exchanges.pathMatchers(ALWAYS_PUBLIC.toArray(String[]::new)).permitAll();
                    exchanges.pathMatchers("/internal/**").hasRole("ADMIN");
                    if (!props.publicPaths().isEmpty()) {
                        exchanges
                                .pathMatchers(props.publicPaths().toArray(String[]::new))
                                .permitAll();
                    }
                    exchanges.anyExchange().authenticated();
                })
                .oauth2ResourceServer(
                        oauth -> oauth.jwt(jwt -> jwt.jwtDecoder(decoder).jwtAuthenticationConverter(rolesConverter()))
                                .authenticationEntryPoint(entryPoint)
                                .accessDeniedHandler(denied))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(entryPoint).accessDeniedHandler(denied))
                .build();
    }

    /** The {@code roles} claim as {@code ROLE_*} authorities (public for services with their own chain). */
    public static ReactiveJwtAuthenticationConverterAdapter rolesConverter() {
        var authorities = new JwtGrantedAuthoritiesConverter();
        authorities.setAuthoritiesClaimName("roles");
        authorities.setAuthorityPrefix("ROLE_");
        var converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(authorities);
        return new ReactiveJwtAuthenticationConverterAdapter(converter);
    }

    /** Accepts a token whose {@code aud} contains {@code expected}. */
    public static OAuth2TokenValidator<Jwt> audience(String expected) {
        return jwt -> jwt.getAudience() != null && jwt.getAudience().contains(expected)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(
                        new OAuth2Error("invalid_token", "The token is not meant for this audience", null));
    }
}
