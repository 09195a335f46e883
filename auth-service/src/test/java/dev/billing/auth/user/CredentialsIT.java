package dev.billing.auth.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.auth.AuthIT;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** Email verification, password reset and password change. */
class CredentialsIT extends AuthIT {

    @Test
    void theMailedTokenVerifiesTheEmailOnce() {
        Session s = newUser();
        String token = lastEvent("email-verification-requested", s.id())
                .at("/data/token")
                .asString();
        postJson("/api/v1/auth/verify-email", Map.of("token", token), null)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.emailVerified")
                .isEqualTo(true);
        postJson("/api/v1/auth/verify-email", Map.of("token", token), null)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        // verified: no resend
        http().post()
                .uri("/api/v1/auth/verify-email/resend")
                .header(HttpHeaders.AUTHORIZATION, s.bearer())
                .exchange()
                .expectStatus()
                .isEqualTo(409);
    }

    @Test
    void resendReplacesTheTokenAndAnExpiredTokenIsRefused() {
        Session s = newUser();
        String first = lastEvent("email-verification-requested", s.id())
                .at("/data/token")
                .asString();
        http().post()
                .uri("/api/v1/auth/verify-email/resend")
                .exchange()
                .expectStatus()
                .isUnauthorized();
        http().post()
                .uri("/api/v1/auth/verify-email/resend")
                .header(HttpHeaders.AUTHORIZATION, s.bearer())
                .exchange()
                .expectStatus()
                .isAccepted();
        assertThat(outboxEvents("email-verification-requested", s.id())).hasSize(2);
        String second = lastEvent("email-verification-requested", s.id())
                .at("/data/token")
                .asString();
        assertThat(second).isNotEqualTo(first);
        postJson("/api/v1/auth/verify-email", Map.of("token", first), null)
                .exchange()
                .expectStatus()
                .isBadRequest();
        clock.advance(Duration.ofHours(49));
        postJson("/api/v1/auth/verify-email", Map.of("token", second), null)
                .exchange()
                .expectStatus()
                .isBadRequest();
    }

    @Test
    void aResetRequestForAnUnknownEmailAnswersExactlyLikeAKnownOne() {
        Session s = newUser();
        long start = System.nanoTime();
        String known = resetRequest(s.email());
        long knownMillis = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        String unknown = resetRequest(uniqueEmail());
        long unknownMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(unknown).isEqualTo(known);
        // both are padded to the same floor (300 ms), so the time says nothing about the email
        assertThat(knownMillis).isGreaterThanOrEqualTo(300);
        assertThat(unknownMillis).isGreaterThanOrEqualTo(300);
        assertThat(outboxEvents("password-reset-requested", s.id())).hasSize(1);
    }

    @Test
    void resetConfirmSetsTheNewPasswordOnceAndEndsEverySession() {
        Session s = newUser();
        resetRequest(s.email());
        JsonNode event = lastEvent("password-reset-requested", s.id());
        String token = event.at("/data/token").asString();
        assertThat(event.at("/data/email").asString()).isEqualTo(s.email());

        // a weak new password is refused and the token stays usable
        postJson("/api/v1/auth/password-reset/confirm", Map.of("token", token, "newPassword", "short"), null)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors.newPassword")
                .exists();
        postJson(
                        "/api/v1/auth/password-reset/confirm",
                        Map.of("token", token, "newPassword", "a brand new secret"),
                        null)
                .exchange()
                .expectStatus()
                .isNoContent();
        refreshIs(s.refreshToken(), 401);
        loginIs(s.email(), PASSWORD, 401);
        loginIs(s.email(), "a brand new secret", 200);
        postJson(
                        "/api/v1/auth/password-reset/confirm",
                        Map.of("token", token, "newPassword", "yet another secret"),
                        null)
                .exchange()
                .expectStatus()
                .isBadRequest();
    }

    @Test
    void anExpiredResetTokenIsRefused() {
        Session s = newUser();
        resetRequest(s.email());
        String token =
                lastEvent("password-reset-requested", s.id()).at("/data/token").asString();
        clock.advance(Duration.ofMinutes(61));
        postJson(
                        "/api/v1/auth/password-reset/confirm",
                        Map.of("token", token, "newPassword", "a brand new secret"),
                        null)
                .exchange()
                .expectStatus()
                .isBadRequest();
    }

    @Test
    void changingThePasswordChecksTheCurrentOneAndEndsEverySession() {
        Session s = newUser();
        postJson(
                        "/api/v1/auth/password/change",
                        Map.of("currentPassword", "wrong password!", "newPassword", "a brand new secret"),
                        s.bearer())
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors.currentPassword")
                .exists();
        postJson(
                        "/api/v1/auth/password/change",
                        Map.of("currentPassword", PASSWORD, "newPassword", "1234567890"),
                        s.bearer())
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors.newPassword")
                .exists();
        postJson(
                        "/api/v1/auth/password/change",
                        Map.of("currentPassword", PASSWORD, "newPassword", "a brand new secret"),
                        s.bearer())
                .exchange()
                .expectStatus()
                .isNoContent();
        refreshIs(s.refreshToken(), 401);
        loginIs(s.email(), PASSWORD, 401);
        loginIs(s.email(), "a brand new secret", 200);
        postJson(
                        "/api/v1/auth/password/change",
                        Map.of("currentPassword", PASSWORD, "newPassword", "a brand new secret"),
                        null)
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    private String resetRequest(String email) {
        return postJson("/api/v1/auth/password-reset", Map.of("email", email), null)
                .exchange()
                .expectStatus()
                .isAccepted()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }

    private void refreshIs(String refreshToken, int status) {
        postJson("/api/v1/auth/refresh", Map.of("refreshToken", refreshToken), null)
                .exchange()
                .expectStatus()
                .isEqualTo(status);
    }

    private void loginIs(String email, String password, int status) {
        postJson("/api/v1/auth/login", Map.of("email", email, "password", password), null)
                .exchange()
                .expectStatus()
                .isEqualTo(status);
    }

    static UUID id(JsonNode user) {
        return UUID.fromString(user.get("id").asString());
    }
}
