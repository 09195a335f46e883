package dev.billing.auth.oauth.application;

import dev.billing.auth.common.Problems;
import dev.billing.auth.config.OAuthProperties;
import dev.billing.auth.oauth.domain.ExternalIdentity;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * GitHub's OAuth app flow (with PKCE): the code is exchanged for an access token, the identity is
 * {@code GET /user} and the address is the primary one of {@code GET /user/emails}, which must be
 * verified.
 */
@Component
class GitHubProvider implements IdentityProvider {

    private static final ParameterizedTypeReference<List<Map<String, Object>>> EMAILS =
            new ParameterizedTypeReference<>() {};

    private final OAuthProperties.GitHub config;
    private final ProviderHttp http;

    GitHubProvider(OAuthProperties props, ProviderHttp http) {
        this.config = props.github();
        this.http = http;
    }

    @Override
    public String name() {
        return "github";
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    @Override
    public Mono<URI> authorizationUri(String state, String codeChallenge, String nonce, String redirectUri) {
        return Mono.just(UriComponentsBuilder.fromUriString(config.authorizationUri())
                .queryParam("client_id", config.clientId())
                .queryParam("redirect_uri", redirectUri)
                .queryParam("scope", config.scope())
                .queryParam("state", state)
                .queryParam("code_challenge", codeChallenge)
                .queryParam("code_challenge_method", "S256")
                .queryParam("allow_signup", "true")
                .encode()
                .build()
                .toUri());
    }

    @Override
    public Mono<ExternalIdentity> identity(String code, String codeVerifier, String nonce, String redirectUri) {
        return exchange(code, codeVerifier, redirectUri)
                .flatMap(token ->
                        get("/user", ProviderHttp.JSON_OBJECT, token).zipWith(get("/user/emails", EMAILS, token)))
                .map(t -> {
                    Map<String, Object> user = t.getT1();
                    Map<String, Object> primary = t.getT2().stream()
                            .filter(e -> Boolean.TRUE.equals(e.get("primary")))
                            .findFirst()
                            .orElse(Map.of());
                    if (!Boolean.TRUE.equals(primary.get("verified")) || !(primary.get("email") instanceof String)) {
                        throw Problems.of(
                                HttpStatus.FORBIDDEN,
                                "Forbidden",
                                "Your GitHub account has no verified primary email address.");
                    }
                    Object name = user.get("name") != null ? user.get("name") : user.get("login");
                    return new ExternalIdentity(
                            name(),
                            String.valueOf(user.get("id")),
                            (String) primary.get("email"),
                            true,
                            name == null ? null : String.valueOf(name));
                })
                .onErrorMap(e -> ProviderHttp.translate(name(), e));
    }

    private Mono<String> exchange(String code, String verifier, String redirectUri) {
        var form = new LinkedMultiValueMap<String, String>();
        form.add("client_id", config.clientId());
        form.add("client_secret", config.clientSecret());
        form.add("code", code);
        form.add("redirect_uri", redirectUri);
        form.add("code_verifier", verifier);
        return http.client()
                .post()
                .uri(config.tokenUri())
                .accept(MediaType.APPLICATION_JSON)
                .body(BodyInserters.fromFormData(form))
                .retrieve()
                .bodyToMono(ProviderHttp.JSON_OBJECT)
                .flatMap(body -> body.get("access_token") instanceof String token
                        ? Mono.just(token)
                        // GitHub answers 200 with {"error": ...} for a bad code
                        : Mono.error(Problems.badRequest("The github login could not be completed; start again.")));
    }

    private <T> Mono<T> get(String path, ParameterizedTypeReference<T> type, String token) {
        return http.client()
                .get()
                .uri(config.apiBaseUrl().replaceAll("/+$", "") + path)
                .headers(h -> h.setBearerAuth(token))
                .accept(MediaType.valueOf("application/vnd.github+json"))
                .header("X-GitHub-Api-Version", "2022-11-28")
                .retrieve()
                .bodyToMono(type);
    }
}
