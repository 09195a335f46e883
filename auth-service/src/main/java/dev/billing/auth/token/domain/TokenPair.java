package dev.billing.auth.token.domain;

/** What a successful login answers: a short-lived access token and a refresh token. */
public record TokenPair(String accessToken, String refreshToken, long expiresIn) {

    public String tokenType() {
        return "Bearer";
    }

    @Override
    public String toString() {
        return "TokenPair[expiresIn=" + expiresIn + "]";
    }
}
