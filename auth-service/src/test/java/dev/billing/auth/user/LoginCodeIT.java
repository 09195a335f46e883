package dev.billing.auth.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.auth.AuthIT;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** One-time login codes: mailed through the event, hashed, expiring, limited in attempts, single use. */
class LoginCodeIT extends AuthIT {

    @Test
    void theMailedCodeLogsInOnce() {
        Session s = newUser();
        String code = requestCode(s.email());
        assertThat(code).matches("[0-9]{8}");
        String stored = db.sql("SELECT code_hash FROM login_codes WHERE user_id = :user")
                .bind("user", s.id())
                .map(row -> row.get(0, String.class))
                .one()
                .block(Duration.ofSeconds(10));
        assertThat(stored).startsWith("$argon2id$").doesNotContain(code);

        verify(s.email(), code)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.accessToken")
                .exists()
                .jsonPath("$.refreshToken")
                .exists();
        verify(s.email(), code).expectStatus().isUnauthorized();
    }

    @Test
    void fiveWrongAttemptsKillTheCode() {
        Session s = newUser();
        String code = requestCode(s.email());
        String wrong = code.equals("00000000") ? "11111111" : "00000000";
        for (int i = 0; i < 5; i++) {
            verify(s.email(), wrong).expectStatus().isUnauthorized();
        }
        verify(s.email(), code).expectStatus().isUnauthorized();
        // a new code works again
        verify(s.email(), requestCode(s.email())).expectStatus().isOk();
    }

    @Test
    void anExpiredCodeIsRefusedAndANewRequestReplacesTheOldCode() {
        Session s = newUser();
        String old = requestCode(s.email());
        String current = requestCode(s.email());
        verify(s.email(), old).expectStatus().isUnauthorized();
        clock.advance(Duration.ofMinutes(11));
        verify(s.email(), current).expectStatus().isUnauthorized();
    }

    @Test
    void aCodeRequestForAnUnknownEmailAnswersLikeAKnownOne() {
        Session s = newUser();
        String known = postJson("/api/v1/auth/login-code", Map.of("email", s.email()), null)
                .exchange()
                .expectStatus()
                .isAccepted()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        String unknown = postJson("/api/v1/auth/login-code", Map.of("email", uniqueEmail()), null)
                .exchange()
                .expectStatus()
                .isAccepted()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(unknown).isEqualTo(known);
        verify(uniqueEmail(), "12345678").expectStatus().isUnauthorized();
    }

    private String requestCode(String email) {
        postJson("/api/v1/auth/login-code", Map.of("email", email), null)
                .exchange()
                .expectStatus()
                .isAccepted();
        JsonNode user = JSON.readTree(db.sql("SELECT id FROM users WHERE email = :email")
                .bind("email", email)
                .map(row -> "{\"id\":\"" + row.get(0) + "\"}")
                .one()
                .block(Duration.ofSeconds(10)));
        return lastEvent("login-code-requested", CredentialsIT.id(user))
                .at("/data/code")
                .asString();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec verify(String email, String code) {
        return postJson("/api/v1/auth/login-code/verify", Map.of("email", email, "code", code), null)
                .exchange();
    }
}
