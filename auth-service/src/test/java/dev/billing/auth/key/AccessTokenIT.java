package dev.billing.auth.key;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.billing.auth.AuthIT;
import dev.billing.platform.test.TestJwts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** What the access tokens carry, and every kind of bad token refused on /me. */
class AccessTokenIT extends AuthIT {

    @Test
    void theAccessTokenCarriesTheContractClaimsAndTheKid() {
        Session s = newUser();
        String[] parts = s.accessToken().split("\\.");
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));

        assertThat(header.get("alg").asString()).isEqualTo("RS256");
        assertThat(header.get("kid").asString()).isNotBlank();
        assertThat(claims.get("iss").asString()).isEqualTo(TestJwts.ISSUER);
        assertThat(claims.get("aud").toString()).contains(TestJwts.AUDIENCE);
        assertThat(claims.get("sub").asString()).isEqualTo(s.id().toString());
        assertThat(claims.get("email").asString()).isEqualTo(s.email());
        assertThat(claims.get("roles").toString()).isEqualTo("[\"USER\"]");
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(900);
        assertThat(claims.get("jti").asString()).isNotBlank();

        // the JWKS publishes the key that signed it
        http().get()
                .uri("/.well-known/jwks.json")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.keys[?(@.kid == '" + header.get("kid").asString() + "')].kty")
                .isEqualTo("RSA")
                .jsonPath("$.keys[0].d")
                .doesNotExist();
    }

    @Test
    void anExpiredTokenIsRefused() {
        Session s = newUser();
        me(s.accessToken()).expectStatus().isOk();
        clock.advance(Duration.ofMinutes(16));
        me(s.accessToken())
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
    }

    @Test
    void aTamperedTokenIsRefused() {
        Session s = newUser();
        String[] parts = s.accessToken().split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("[\"USER\"]", "[\"USER\",\"ADMIN\"]");
        String forged = parts[0] + "." + b64(claims) + "." + parts[2];
        me(forged).expectStatus().isUnauthorized();
        http().get()
                .uri("/api/v1/auth/users")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + forged)
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void tokensSignedByAForeignKeyOrAnotherServiceAreRefused() {
        Session s = newUser();
        me(TestJwts.shared()
                        .claims(s.id(), "USER")
                        .signedBy(TestJwts.foreignKey())
                        .sign())
                .expectStatus()
                .isUnauthorized();
        // the platform's test key is not auth-service's key either
        me(TestJwts.shared().token(s.id(), "USER")).expectStatus().isUnauthorized();
    }

    @Test
    void algNoneAndHs256TokensAreRefused() throws Exception {
        Session s = newUser();
        String[] parts = s.accessToken().split("\\.");
        String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        me(none).expectStatus().isUnauthorized();

        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        var hs = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .keyID(header.get("kid").asString())
                        .build(),
                JWTClaimsSet.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)));
        hs.sign(new MACSigner("a-32-byte-secret-that-anyone-could-pick!".getBytes(StandardCharsets.UTF_8)));
        me(hs.serialize()).expectStatus().isUnauthorized();
    }

    @Test
    void garbageAndMissingTokensAreRefused() {
        me("not.a.jwt").expectStatus().isUnauthorized();
        http().get()
                .uri("/api/v1/auth/me")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec me(String token) {
        return http().get()
                .uri("/api/v1/auth/me")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange();
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
