package dev.billing.auth.config;

import dev.billing.auth.key.application.KeyStore;
import dev.billing.auth.user.domain.UserEvents;
import dev.billing.platform.security.PlatformSecurityProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
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

    /** What this service publishes; it declares them, as each publisher does its own topics. */
    static final List<String> PRODUCED = List.of(
            UserEvents.USER_REGISTERED,
            UserEvents.EMAIL_VERIFICATION_REQUESTED,
            UserEvents.PASSWORD_RESET_REQUESTED,
            UserEvents.LOGIN_CODE_REQUESTED,
            UserEvents.USER_DEACTIVATED);

    /** Topics carrying a raw token or code: kept one day only (contracts/README.md). */
    static final Set<String> SECRET = Set.of(
            UserEvents.EMAIL_VERIFICATION_REQUESTED,
            UserEvents.PASSWORD_RESET_REQUESTED,
            UserEvents.LOGIN_CODE_REQUESTED);

    /**
     * Declared at startup, before the first event goes out: a topic created by the first send gets
     * the broker's defaults (its partition count, a week's retention for the secrets), and
     * listeners do not see partitions added to it later until their next metadata refresh.
     */
    @Bean
    KafkaAdmin.NewTopics authTopics(
            @Value("${auth.topics.partitions:3}") int partitions, @Value("${auth.topics.replicas:1}") int replicas) {
        return new KafkaAdmin.NewTopics(PRODUCED.stream()
                .map(name -> {
                    TopicBuilder topic =
                            TopicBuilder.name(name).partitions(partitions).replicas(replicas);
                    if (SECRET.contains(name)) {
                        topic.config(
                                TopicConfig.RETENTION_MS_CONFIG,
                                String.valueOf(Duration.ofDays(1).toMillis()));
                    }
                    return topic.build();
                })
                .toArray(NewTopic[]::new));
    }

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
