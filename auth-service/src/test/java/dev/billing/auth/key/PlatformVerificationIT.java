package dev.billing.auth.key;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.auth.AuthIT;
import dev.billing.platform.test.TestJwts;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;

/**
 * Our tokens verify the way every other service (and the gateway) verifies them: the platform's
 * resource-server decoder, fetching our JWKS over HTTP.
 */
class PlatformVerificationIT extends AuthIT {

    @Test
    void anIssuedTokenVerifiesWithThePlatformsJwksDecoder() {
        Session s = newUser();
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(
                        "http://localhost:" + port + "/.well-known/jwks.json")
                .jwsAlgorithms(algorithms -> {
                    algorithms.add(SignatureAlgorithm.RS256);
                    algorithms.add(SignatureAlgorithm.ES256);
                })
                .build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(TestJwts.ISSUER),
                jwt -> jwt.getAudience().contains(TestJwts.AUDIENCE)
                        ? OAuth2TokenValidatorResult.success()
                        : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token"))));

        Jwt jwt = decoder.decode(s.accessToken()).block(Duration.ofSeconds(10));
        assertThat(jwt.getSubject()).isEqualTo(s.id().toString());
        assertThat(jwt.getClaimAsStringList("roles")).containsExactly("USER");
        assertThat(jwt.getClaimAsString("email")).isEqualTo(s.email());
    }
}
