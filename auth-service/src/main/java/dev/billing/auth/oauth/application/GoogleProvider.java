package dev.billing.auth.oauth.application;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.billing.auth.common.Problems;
import dev.billing.auth.config.OAuthProperties;
import dev.billing.auth.oauth.domain.ExternalIdentity;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Google through OpenID Connect (works with any OIDC provider): endpoints from the issuer's
 * discovery document; the id_token is verified (signature by the provider's JWKS, issuer, audience
 * = our client id, expiry, nonce) and the userinfo endpoint must name the same subject.
 */
@Component
class GoogleProvider implements IdentityProvider {

    private final OAuthProperties.Google config;
    private final ProviderHttp http;
    private final Clock clock;
    private final Mono<OIDCProviderMetadata> metadata;
    private final Mono<NimbusReactiveJwtDecoder> idTokens;

    GoogleProvider(OAuthProperties props, ProviderHttp http, Clock clock) {
        this.config = props.google();
        this.http = http;
        this.clock = clock;
        this.metadata =
                Mono.defer(this::discover).cache(m -> Duration.ofHours(1), e -> Duration.ZERO, () -> Duration.ZERO);
        this.idTokens =
                metadata.map(this::decoder).cache(d -> Duration.ofHours(1), e -> Duration.ZERO, () -> Duration.ZERO);
    }

    @Override
    public String name() {
        return "google";
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    @Override
    public Mono<URI> authorizationUri(String state, String codeChallenge, String nonce, String redirectUri) {
        return metadata.map(m -> UriComponentsBuilder.fromUri(m.getAuthorizationEndpointURI())
                .queryParam("response_type", "code")
                .queryParam("client_id", config.clientId())
                .queryParam("redirect_uri", redirectUri)
                .queryParam("scope", config.scope())
                .queryParam("state", state)
                .queryParam("nonce", nonce)
                .queryParam("code_challenge", codeChallenge)
                .queryParam("code_challenge_method", "S256")
                .encode()
                .build()
                .toUri());
    }

    @Override
    public Mono<ExternalIdentity> identity(String code, String codeVerifier, String nonce, String redirectUri) {
        return metadata.flatMap(
                        m -> exchange(m, code, codeVerifier, redirectUri).flatMap(tokens -> {
                            Object idToken = tokens.get("id_token");
                            Object accessToken = tokens.get("access_token");
                            if (!(idToken instanceof String id) || !(accessToken instanceof String access)) {
                                return Mono.error(Problems.badRequest("The provider returned no id_token."));
                            }
                            return idTokens.flatMap(decoder -> decoder.decode(id))
                                    .onErrorMap(
                                            JwtException.class,
                                            e -> Problems.badRequest("The provider's id_token is invalid."))
                                    .flatMap(jwt -> Objects.equals(nonce, jwt.getClaimAsString("nonce"))
                                            ? userinfo(m, access).map(info -> toIdentity(jwt, info))
                                            : Mono.error(Problems.badRequest("The id_token's nonce does not match.")));
                        }))
                .onErrorMap(e -> ProviderHttp.translate(name(), e));
    }

    private Mono<Map<String, Object>> exchange(OIDCProviderMetadata m, String code, String verifier, String redirect) {
        var form = new LinkedMultiValueMap<String, String>();
        form.add("grant_type", "authorization_code");
        form.add("code", code);
        form.add("redirect_uri", redirect);
        form.add("client_id", config.clientId());
        form.add("client_secret", config.clientSecret());
        form.add("code_verifier", verifier);
        return http.client()
                .post()
                .uri(m.getTokenEndpointURI())
                .accept(MediaType.APPLICATION_JSON)
                .body(BodyInserters.fromFormData(form))
                .retrieve()
                .bodyToMono(ProviderHttp.JSON_OBJECT);
    }

    private Mono<Map<String, Object>> userinfo(OIDCProviderMetadata m, String accessToken) {
        if (m.getUserInfoEndpointURI() == null) {
            return Mono.just(Map.of());
        }
        return http.client()
                .get()
                .uri(m.getUserInfoEndpointURI())
                .headers(h -> h.setBearerAuth(accessToken))
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .bodyToMono(ProviderHttp.JSON_OBJECT);
    }

    private ExternalIdentity toIdentity(Jwt idToken, Map<String, Object> info) {
        String subject = idToken.getSubject();
        if (info.containsKey("sub") && !subject.equals(String.valueOf(info.get("sub")))) {
            throw Problems.badRequest("The provider's userinfo names another subject.");
        }
        String email = firstNonNull(idToken.getClaimAsString("email"), (String) info.get("email"));
        Object verified = idToken.hasClaim("email_verified")
                ? idToken.getClaims().get("email_verified")
                : info.get("email_verified");
        String name = firstNonNull((String) info.get("name"), idToken.getClaimAsString("name"));
        return new ExternalIdentity(
                name(), subject, email, Boolean.TRUE.equals(verified) || "true".equals(verified), name);
    }

    private Mono<OIDCProviderMetadata> discover() {
        String issuer = config.issuerUri().replaceAll("/+$", "");
        return http.client()
                .get()
                .uri(issuer + "/.well-known/openid-configuration")
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .bodyToMono(String.class)
                .handle((json, sink) -> {
                    try {
                        sink.next(OIDCProviderMetadata.parse(json));
                    } catch (ParseException e) {
                        sink.error(new IllegalStateException("invalid OIDC discovery document at " + issuer, e));
                    }
                });
    }

    private NimbusReactiveJwtDecoder decoder(OIDCProviderMetadata m) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(
                        m.getJWKSetURI().toString())
                .jwsAlgorithms(algorithms -> {
                    algorithms.add(SignatureAlgorithm.RS256);
                    algorithms.add(SignatureAlgorithm.ES256);
                })
                .build();
        JwtTimestampValidator expiry = new JwtTimestampValidator();
        expiry.setClock(clock);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                expiry,
                new JwtIssuerValidator(m.getIssuer().getValue()),
                jwt -> jwt.getAudience() != null && jwt.getAudience().contains(config.clientId())
                        ? OAuth2TokenValidatorResult.success()
                        : OAuth2TokenValidatorResult.failure(
                                new OAuth2Error("invalid_token", "id_token not issued for this client", null))));
        return decoder;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
