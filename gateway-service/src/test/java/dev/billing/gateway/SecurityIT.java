package dev.billing.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.billing.platform.test.TestJwts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/** Tokens are verified at the gateway; a request without a valid one never reaches a service. */
class SecurityIT extends GatewayTestSupport {

    @Test
    void isLiveAndReady() {
        http().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        http().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    @ParameterizedTest
    @CsvSource({
        "GET, /api/v1/auth/me, auth-service",
        "GET, /api/v1/plans, plan-service",
        "GET, /api/v1/plans/42, plan-service",
        "POST, /api/v1/plans, plan-service",
        "PATCH, /api/v1/plans/42, plan-service",
        "DELETE, /api/v1/plans/42, plan-service",
        "POST, /api/v1/subscriptions, subscription-service",
        "GET, /api/v1/subscriptions/me, subscription-service",
        "POST, /api/v1/subscriptions/7/cancel, subscription-service",
        "DELETE, /api/v1/subscriptions/7, subscription-service",
        "GET, /api/v1/entitlements/me, subscription-service",
        "GET, /api/v1/payments/me, payment-service",
        "GET, /api/v1/invoices/me, payment-service",
        "GET, /api/v1/notifications/me, notification-service",
        "GET, /.well-known/jwks.json, auth-service",
        "POST, /webhooks/stripe, payment-service",
    })
    void routesEveryPathToItsServiceWithTheCallersToken(String method, String path, String service) {
        String token = token();
        String marker = marker();
        http().method(HttpMethod.valueOf(method))
                .uri(path + "?t=" + marker)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.service")
                .isEqualTo(service)
                .jsonPath("$.method")
                .isEqualTo(method);
        FakeService upstream = List.of(auth, plans, subscriptions, payments, notifications).stream()
                .filter(s -> s.name.equals(service))
                .findFirst()
                .orElseThrow();
        assertThat(upstream.last(marker).orElseThrow().header(HttpHeaders.AUTHORIZATION))
                .isEqualTo("Bearer " + token);
    }

    @ParameterizedTest
    @CsvSource({
        "POST, /api/v1/auth/register, auth-service",
        "POST, /api/v1/auth/login, auth-service",
        "POST, /api/v1/auth/token, auth-service",
        "POST, /api/v1/auth/refresh, auth-service",
        "POST, /api/v1/auth/logout, auth-service",
        "POST, /api/v1/auth/verify-email, auth-service",
        "POST, /api/v1/auth/password-reset, auth-service",
        "POST, /api/v1/auth/password-reset/confirm, auth-service",
        "POST, /api/v1/auth/login-code, auth-service",
        "POST, /api/v1/auth/login-code/verify, auth-service",
        "GET, /api/v1/auth/oauth2/authorize/google, auth-service",
        "GET, /api/v1/plans, plan-service",
        "GET, /api/v1/plans/42, plan-service",
        "GET, /.well-known/jwks.json, auth-service",
        "POST, /webhooks/stripe, payment-service",
    })
    void publicRoutesNeedNoToken(String method, String path, String service) {
        http().method(HttpMethod.valueOf(method))
                .uri(path + "?t=" + marker())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.service")
                .isEqualTo(service);
    }

    @ParameterizedTest
    @CsvSource({
        "GET, /api/v1/auth/me",
        "GET, /api/v1/auth/admin/users",
        "POST, /api/v1/auth/password",
        "POST, /api/v1/plans",
        "PUT, /api/v1/plans/42",
        "DELETE, /api/v1/plans/42",
        "GET, /api/v1/subscriptions/me",
        "GET, /api/v1/entitlements/me",
        "GET, /api/v1/payments/me",
        "GET, /api/v1/invoices/me",
        "GET, /api/v1/notifications/me",
        "GET, /webhooks/stripe",
        "POST, /api/v1/auth/oauth2/authorize/google",
    })
    void everythingElseNeedsAToken(String method, String path) {
        String marker = marker();
        http().method(HttpMethod.valueOf(method))
                .uri(path + "?t=" + marker)
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(401);
        assertNeverReachedAnyService(marker);
    }

    @Test
    void anExpiredTokenIsRejected() {
        assertRejected(TestJwts.shared()
                .claims(UUID.randomUUID(), "USER")
                .expiresAt(Instant.now().minus(Duration.ofMinutes(5)))
                .sign());
    }

    @Test
    void aTamperedTokenIsRejected() {
        String[] parts = token().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"USER\"", "\"ADMIN\"");
        assertThat(payload).contains("ADMIN");
        String tampered = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        assertRejected(tampered);
    }

    @Test
    void aTokenSignedByAForeignKeyIsRejected() {
        assertRejected(TestJwts.shared()
                .claims(UUID.randomUUID(), "USER")
                .signedBy(TestJwts.foreignKey())
                .sign());
    }

    @Test
    void aTokenForAnotherIssuerOrAudienceIsRejected() {
        assertRejected(TestJwts.shared()
                .claims(UUID.randomUUID(), "USER")
                .issuer("https://evil.example.com")
                .sign());
        assertRejected(TestJwts.shared()
                .claims(UUID.randomUUID(), "USER")
                .audience("another-api")
                .sign());
    }

    @Test
    void anUnsignedAlgNoneTokenIsRejected() {
        String none = new PlainJWT(claims()).serialize();
        assertThat(none).endsWith(".");
        assertRejected(none);
    }

    @Test
    void anHs256TokenSignedWithThePublicKeyAsSecretIsRejected() throws Exception {
        RSAKey published = (RSAKey)
                JWKSet.parse(fetch(TestJwts.shared().jwksUri())).getKeys().getFirst();
        for (byte[] secret : List.of(
                published.toRSAPublicKey().getEncoded(),
                published.toJSONString().getBytes(StandardCharsets.UTF_8),
                fetch(TestJwts.shared().jwksUri()).getBytes(StandardCharsets.UTF_8))) {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.HS256)
                            .keyID(published.getKeyID())
                            .build(),
                    claims());
            jwt.sign(new MACSigner(secret));
            assertRejected(jwt.serialize());
        }
    }

    @Test
    void garbageInTheAuthorizationHeaderIsA401NotA500() {
        for (String value :
                List.of("Bearer", "Bearer not-a-jwt", "Bearer a.b.c", "Basic dXNlcjpwYXNz", "Bearer ümlaut")) {
            String marker = marker();
            http().get()
                    .uri("/api/v1/subscriptions/me?t=" + marker)
                    .header(HttpHeaders.AUTHORIZATION, value)
                    .exchange()
                    .expectStatus()
                    .isUnauthorized()
                    .expectHeader()
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON);
            assertNeverReachedAnyService(marker);
        }
    }

    @Test
    void identityHeadersFromTheClientAreStrippedAndTheTokenPassesThrough() {
        String marker = marker();
        String token = token();
        http().get()
                .uri("/api/v1/subscriptions/me?t=" + marker)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .header("X-User-Id", UUID.randomUUID().toString())
                .header("X-User-Roles", "ADMIN")
                .header("X-User-Email", "admin@example.com")
                .header("X-Forwarded-User", "admin")
                .header("X-Auth-Subject", "admin")
                .header("x-auth-roles", "ADMIN")
                .header("X-Custom", "kept")
                .exchange()
                .expectStatus()
                .isOk();
        var received = subscriptions.last(marker).orElseThrow();
        assertThat(received.headers().keySet())
                .map(String::toLowerCase)
                .doesNotContain(
                        "x-user-id",
                        "x-user-roles",
                        "x-user-email",
                        "x-forwarded-user",
                        "x-auth-subject",
                        "x-auth-roles");
        assertThat(received.header("X-Custom")).isEqualTo("kept");
        assertThat(received.header(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer " + token);
    }

    @Test
    void aRotatedSigningKeyIsAcceptedWithoutARestartAndUnknownKeysDoNotHammerTheJwks() {
        // the gateway holds the keys already (earlier requests); a token from a key published later
        http().get()
                .uri("/api/v1/auth/me?t=" + marker())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
                .exchange()
                .expectStatus()
                .isOk();
        RSAKey rotated = jwks.rotate("rotated-" + UUID.randomUUID());
        String signedByNewKey = TestJwts.shared()
                .claims(UUID.randomUUID(), "USER")
                .signedBy(rotated)
                .sign();
        clock.advance(Duration.ofSeconds(11)); // past the minimum interval between refetches
        int before = jwks.fetches.get();
        String marker = marker();
        http().get()
                .uri("/api/v1/auth/me?t=" + marker)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + signedByNewKey)
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(jwks.fetches.get()).isEqualTo(before + 1);
        assertThat(auth.last(marker)).isPresent();

        // made-up key ids right after: rejected, without a fetch each
        for (int i = 0; i < 5; i++) {
            assertRejected(TestJwts.shared()
                    .claims(UUID.randomUUID(), "USER")
                    .signedBy(TestJwts.foreignKey())
                    .sign());
        }
        assertThat(jwks.fetches.get()).isEqualTo(before + 1);
    }

    private void assertRejected(String token) {
        String marker = marker();
        http().get()
                .uri("/api/v1/subscriptions/me?t=" + marker)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(401);
        assertNeverReachedAnyService(marker);
    }

    static void assertNeverReachedAnyService(String marker) {
        for (FakeService service : List.of(auth, plans, subscriptions, payments, notifications)) {
            assertThat(service.count(marker)).as(service.name).isZero();
        }
    }

    private static JWTClaimsSet claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(TestJwts.ISSUER)
                .audience(TestJwts.AUDIENCE)
                .subject(UUID.randomUUID().toString())
                .claim("roles", List.of("ADMIN"))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .build();
    }

    private static String fetch(String uri) throws Exception {
        return HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
