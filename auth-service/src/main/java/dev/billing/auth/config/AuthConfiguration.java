package dev.billing.auth.config;

import dev.billing.auth.key.application.KeyStore;
import dev.billing.platform.security.PlatformSecurityProperties;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * auth-service verifies access tokens like every other service (platform resource-server chain),
 * but with the keys from its own table instead of calling its own JWKS over HTTP. The checks are
 * the platform's: RS256 only (no {@code none}, no HS256), issuer, audience, expiry; the expiry is
 * checked against the injected clock.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AuthProperties.class, OAuthProperties.class})
@EnableReactiveMethodSecurity
@EnableScheduling
class AuthConfiguration {

    @Bean
    ReactiveJwtDecoder jwtDecoder(KeyStore keys, PlatformSecurityProperties security, Clock clock) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSource(
                        jwt -> keys.verificationKey(jwt.getHeader().getKeyID()))
                .jwsAlgorithm(SignatureAlgorithm.RS256)
                .build();
        JwtTimestampValidator expiry = new JwtTimestampValidator();
        expiry.setClock(clock);
        // the platform's defaults (typ, x5t, expiry, issuer) with the expiry on our clock, plus the audience
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(
                List.of(expiry, new JwtIssuerValidator(security.issuer()), audience(security.audience()))));
        return decoder;
    }

    static OAuth2TokenValidator<Jwt> audience(String expected) {
        return jwt -> jwt.getAudience() != null && jwt.getAudience().contains(expected)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(
                        new OAuth2Error("invalid_token", "The token is not meant for this audience", null));
    }
}
