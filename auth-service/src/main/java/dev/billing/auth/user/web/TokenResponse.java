package dev.billing.auth.user.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.billing.auth.token.domain.TokenPair;

/**
 * A token pair. The OAuth2 names ({@code access_token}, ...) are added for {@code /token}, whose
 * caller is Swagger UI's Authorize button (RFC 6749 section 5.1).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TokenResponse(
        String accessToken,
        String refreshToken,
        String tokenType,
        long expiresIn,
        @JsonProperty("access_token") String oauthAccessToken,
        @JsonProperty("refresh_token") String oauthRefreshToken,
        @JsonProperty("token_type") String oauthTokenType,
        @JsonProperty("expires_in") Long oauthExpiresIn) {

    static TokenResponse of(TokenPair pair) {
        return new TokenResponse(
                pair.accessToken(), pair.refreshToken(), pair.tokenType(), pair.expiresIn(), null, null, null, null);
    }

    static TokenResponse oauth(TokenPair pair) {
        return new TokenResponse(
                pair.accessToken(),
                pair.refreshToken(),
                pair.tokenType(),
                pair.expiresIn(),
                pair.accessToken(),
                pair.refreshToken(),
                pair.tokenType(),
                pair.expiresIn());
    }

    @Override
    public String toString() {
        return "TokenResponse[expiresIn=" + expiresIn + "]";
    }
}
