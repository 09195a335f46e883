package dev.billing.auth.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * "Log in with Google / GitHub" ({@code auth.oauth2.*}). A provider is enabled when its client id
 * and secret are set.
 *
 * @param redirectBaseUrl public base URL of the API (the gateway); the redirect URI registered with
 *     a provider is {@code <redirectBaseUrl>/api/v1/auth/oauth2/<provider>/callback}
 * @param stateTtl how long a started login may take
 * @param timeout timeout of each call to a provider
 */
@ConfigurationProperties("auth.oauth2")
public record OAuthProperties(
        @DefaultValue("http://localhost:8080") String redirectBaseUrl,
        @DefaultValue("10m") Duration stateTtl,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue Google google,
        @DefaultValue GitHub github) {

    /** Google, or any OpenID Connect provider found by its issuer's discovery document. */
    public record Google(
            @DefaultValue("") String clientId,
            @DefaultValue("") String clientSecret,
            @DefaultValue("https://accounts.google.com") String issuerUri,
            @DefaultValue("openid email profile") String scope) {

        public boolean enabled() {
            return !clientId.isBlank() && !clientSecret.isBlank();
        }
    }

    /** GitHub's OAuth app (not OIDC): identity from its REST API. */
    public record GitHub(
            @DefaultValue("") String clientId,
            @DefaultValue("") String clientSecret,

            @DefaultValue("https://github.com/login/oauth/authorize")
            String authorizationUri,

            @DefaultValue("https://github.com/login/oauth/access_token")
            String tokenUri,

            @DefaultValue("https://api.github.com") String apiBaseUrl,
            @DefaultValue("read:user user:email") String scope) {

        public boolean enabled() {
            return !clientId.isBlank() && !clientSecret.isBlank();
        }
    }

    public String redirectUri(String provider) {
        return redirectBaseUrl.replaceAll("/+$", "") + "/api/v1/auth/oauth2/" + provider + "/callback";
    }
}
