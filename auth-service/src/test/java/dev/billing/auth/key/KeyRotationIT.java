package dev.billing.auth.key;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.auth.AuthIT;
import dev.billing.auth.key.application.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.JsonNode;

/** Rotation without downtime: a new key signs, the old one verifies until its tokens have expired. */
class KeyRotationIT extends AuthIT {

    @Autowired
    KeyStore keys;

    @Test
    void afterRotationOldTokensStillVerifyTheJwksListsBothAndNewTokensUseTheNewKid() {
        Session s = newUser();
        String oldKid = kid(s.accessToken());

        String newKid = rotateAsAdmin();
        assertThat(newKid).isNotEqualTo(oldKid);

        assertThat(publishedKids()).contains(oldKid, newKid);
        me(s.accessToken()).expectStatus().isOk();
        String fresh = login(s.email(), PASSWORD).get("accessToken").asString();
        assertThat(kid(fresh)).isEqualTo(newKid);
        me(fresh).expectStatus().isOk();

        // once every token the old key signed has expired, it is no longer published nor accepted
        clock.advance(Duration.ofMinutes(20));
        assertThat(publishedKids()).doesNotContain(oldKid).contains(newKid);
        String latest = login(s.email(), PASSWORD).get("accessToken").asString();
        me(latest).expectStatus().isOk();
    }

    @Test
    void rotationIsDueByAgeOnly() {
        keys.rotateIfDue().block(Duration.ofSeconds(30)); // absorbs a rotation made due by earlier clock moves
        assertThat(keys.rotateIfDue().block(Duration.ofSeconds(30))).isFalse();
        String before = keys.signer().block(Duration.ofSeconds(30)).kid();
        clock.advance(Duration.ofDays(31));
        assertThat(keys.rotateIfDue().block(Duration.ofSeconds(30))).isTrue();
        assertThat(keys.signer().block(Duration.ofSeconds(30)).kid()).isNotEqualTo(before);
        assertThat(keys.rotateIfDue().block(Duration.ofSeconds(30))).isFalse();
    }

    @Test
    void privateKeysAreStoredEncryptedAndExactlyOneKeyIsCurrent() {
        List<String> stored = db.sql("SELECT private_key_encrypted FROM signing_keys")
                .map(row -> row.get(0, String.class))
                .all()
                .collectList()
                .block(Duration.ofSeconds(10));
        assertThat(stored)
                .isNotEmpty()
                .allSatisfy(value -> assertThat(value).doesNotContain("\"d\"").doesNotContain("kty"));
        Long current = db.sql("SELECT count(*) FROM signing_keys WHERE retired_at IS NULL")
                .map(row -> row.get(0, Long.class))
                .one()
                .block(Duration.ofSeconds(10));
        assertThat(current).isEqualTo(1);
    }

    @Test
    void onlyAnAdminMayRotate() {
        Session s = newUser();
        http().post()
                .uri("/api/v1/auth/keys/rotate")
                .header(HttpHeaders.AUTHORIZATION, s.bearer())
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    private String rotateAsAdmin() {
        String body = http().post()
                .uri("/api/v1/auth/keys/rotate")
                .header(HttpHeaders.AUTHORIZATION, admin().bearer())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        return JSON.readTree(body).get("kid").asString();
    }

    private List<String> publishedKids() {
        String body = http().get()
                .uri("/.well-known/jwks.json")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        List<String> kids = new java.util.ArrayList<>();
        for (JsonNode key : JSON.readTree(body).get("keys")) {
            kids.add(key.get("kid").asString());
        }
        return kids;
    }

    private static String kid(String jwt) {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]))
                .get("kid")
                .asString();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec me(String token) {
        return http().get()
                .uri("/api/v1/auth/me")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange();
    }
}
