package dev.billing.auth.token.application;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import dev.billing.auth.config.AuthProperties;
import dev.billing.auth.key.application.KeyStore;
import dev.billing.auth.user.domain.User;
import dev.billing.platform.security.PlatformSecurityProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Signs access tokens (RS256 JWT through Spring Security's {@link NimbusJwtEncoder}) with the
 * current key: {@code kid} header; {@code iss}, {@code aud}, {@code sub} = user id, {@code email},
 * {@code roles}, {@code iat}, {@code exp}, {@code jti}.
 */
@Component
public class AccessTokens {

    private final KeyStore keys;
    private final Clock clock;
    private final AuthProperties props;
    private final PlatformSecurityProperties security;
    private final Map<String, NimbusJwtEncoder> encoders = new ConcurrentHashMap<>();

    AccessTokens(KeyStore keys, Clock clock, AuthProperties props, PlatformSecurityProperties security) {
        this.keys = keys;
        this.clock = clock;
        this.props = props;
        this.security = security;
    }

    public long ttlSeconds() {
        return props.accessTokenTtl().toSeconds();
    }

    public Mono<String> issue(User user) {
        return keys.signer().map(key -> {
            NimbusJwtEncoder encoder = encoders.computeIfAbsent(
                    key.kid(), kid -> new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key.jwk()))));
            Instant now = clock.instant();
            JwtClaimsSet claims = JwtClaimsSet.builder()
                    .issuer(security.issuer())
                    .audience(List.of(security.audience()))
                    .subject(user.id().toString())
                    .claim("email", user.email())
                    .claim("roles", user.roles().stream().map(Enum::name).toList())
                    .issuedAt(now)
                    .expiresAt(now.plus(props.accessTokenTtl()))
                    .id(UUID.randomUUID().toString())
                    .build();
            JwsHeader header =
                    JwsHeader.with(SignatureAlgorithm.RS256).keyId(key.kid()).build();
            return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
        });
    }
}
