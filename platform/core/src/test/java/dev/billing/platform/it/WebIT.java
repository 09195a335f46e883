package dev.billing.platform.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.billing.platform.test.IntegrationTest;
import dev.billing.platform.test.TestHttp;
import dev.billing.platform.test.TestJwts;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Problem details and token checks over real HTTP. */
@IntegrationTest
class WebIT {

    @LocalServerPort
    int port;

    WebTestClient client() {
        return TestHttp.local(port);
    }

    @Autowired
    MeterRegistry meters;

    private final TestJwts jwts = TestJwts.shared();
    private final UUID user = UUID.randomUUID();

    private String bearer(String token) {
        return "Bearer " + token;
    }

    @Test
    void validationErrorsNameEachField() {
        client().post()
                .uri("/test/items")
                .header(HttpHeaders.AUTHORIZATION, bearer(jwts.token(user, "USER")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"\",\"email\":\"not-an-email\",\"amount\":-5}")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("Validation failed")
                .jsonPath("$.status")
                .isEqualTo(400)
                .jsonPath("$.errors.name")
                .exists()
                .jsonPath("$.errors.email")
                .exists()
                .jsonPath("$.errors.amount")
                .exists();
    }

    @Test
    void malformedJsonIs400() {
        client().post()
                .uri("/test/items")
                .header(HttpHeaders.AUTHORIZATION, bearer(jwts.token(user, "USER")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": ")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("Malformed request body");
    }

    @Test
    void wrongContentTypeIs415() {
        client().post()
                .uri("/test/items")
                .header(HttpHeaders.AUTHORIZATION, bearer(jwts.token(user, "USER")))
                .contentType(MediaType.TEXT_PLAIN)
                .bodyValue("name=x")
                .exchange()
                .expectStatus()
                .isEqualTo(415)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void badPathIdIs400AndUnknownPathIs404() {
        client().get()
                .uri("/test/items/not-a-uuid")
                .header(HttpHeaders.AUTHORIZATION, bearer(jwts.token(user, "USER")))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("Invalid value for 'id'.");
        client().get()
                .uri("/test/nothing-here")
                .header(HttpHeaders.AUTHORIZATION, bearer(jwts.token(user, "USER")))
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void oversizedBodiesAre413WithOrWithoutALength() {
        String big = "{\"name\":\"" + "x".repeat(300 * 1024) + "\",\"amount\":1}";
        client().post()
                .uri("/test/items")
                .header(HttpHeaders.AUTHORIZATION, bearer(jwts.token(user, "USER")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(big)
                .exchange()
                .expectStatus()
                .isEqualTo(413)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        // chunked: no Content-Length, so the codec's limit has to catch it
        client().post()
                .uri("/test/items")
                .header(HttpHeaders.AUTHORIZATION, bearer(jwts.token(user, "USER")))
                .contentType(MediaType.APPLICATION_JSON)
                .body(
                        reactor.core.publisher.Flux.just(big.substring(0, 200_000), big.substring(200_000))
                                .map(s -> new org.springframework.core.io.buffer.DefaultDataBufferFactory()
                                        .wrap(s.getBytes())),
                        org.springframework.core.io.buffer.DataBuffer.class)
                .exchange()
                .expectStatus()
                .isEqualTo(413);
    }

    @Test
    void anUnexpectedFailureIs500WithoutInternals() {
        client().get()
                .uri("/test/boom")
                .header(HttpHeaders.AUTHORIZATION, bearer(jwts.token(user, "USER")))
                .exchange()
                .expectStatus()
                .isEqualTo(500)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class)
                .value(body -> assertThat(body)
                        .contains("An unexpected error occurred.")
                        .doesNotContain("SELECT", "IllegalStateException", "at dev.billing"));
    }

    @Test
    void serverErrorsKeepTheirStatusButNotTheirDetails() {
        client().get()
                .uri("/test/upstream-timeout")
                .header(HttpHeaders.AUTHORIZATION, bearer(jwts.token(user, "USER")))
                .exchange()
                .expectStatus()
                .isEqualTo(504)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class)
                .value(body -> assertThat(body).doesNotContain("db-7"));
        client().get()
                .uri("/test/annotated")
                .header(HttpHeaders.AUTHORIZATION, bearer(jwts.token(user, "USER")))
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void theCallerComesFromTheVerifiedToken() {
        client().get()
                .uri("/test/me")
                .header(HttpHeaders.AUTHORIZATION, bearer(jwts.token(user, "USER")))
                .header("X-User-Id", UUID.randomUUID().toString()) // headers are never trusted
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.userId")
                .isEqualTo(user.toString())
                .jsonPath("$.roles[0]")
                .isEqualTo("USER");
    }

    @Test
    void rolesComeFromTheRolesClaim() {
        client().get()
                .uri("/test/admin")
                .header(HttpHeaders.AUTHORIZATION, bearer(jwts.token(user, "USER")))
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client().get()
                .uri("/test/admin")
                .header(HttpHeaders.AUTHORIZATION, bearer(jwts.token(user, "ADMIN")))
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void publicPathsAndHealthNeedNoToken() {
        client().get().uri("/test/public/ping").exchange().expectStatus().isOk();
        client().get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk();
        client().get()
                .uri("/actuator/health/liveness")
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void aMissingTokenIs401Problem() {
        client().get()
                .uri("/test/me")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("An access token is required.");
    }

    /**
     * Requests are timed once, as {@code http.server.requests}; Spring Security does not observe
     * each filter of its chain on top (that halved the gateway's throughput).
     */
    @Test
    void requestsAreTimedButSecurityFiltersAreNotObserved() {
        client().get()
                .uri("/test/me")
                .header(HttpHeaders.AUTHORIZATION, bearer(jwts.token(user, "USER")))
                .exchange()
                .expectStatus()
                .isOk();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> meters.find("http.server.requests").timer() != null);
        assertThat(meters.getMeters())
                .extracting(meter -> meter.getId().getName())
                .noneMatch(name -> name.startsWith("spring.security"));
    }

    @Test
    void badTokensAre401() {
        String[] rejected = {
            jwts.claims(user, "USER").expiresAt(Instant.now().minusSeconds(120)).sign(),
            jwts.claims(user, "USER").audience("someone-else").sign(),
            jwts.claims(user, "USER").issuer("http://evil.example").sign(),
            jwts.claims(user, "USER").signedBy(TestJwts.foreignKey()).sign(),
            tampered(jwts.token(user, "USER")),
            unsigned(user),
            "not-a-jwt"
        };
        for (String token : rejected) {
            client().get()
                    .uri("/test/me")
                    .header(HttpHeaders.AUTHORIZATION, bearer(token))
                    .exchange()
                    .expectStatus()
                    .isUnauthorized()
                    .expectHeader()
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    /** Swaps the payload for one claiming the ADMIN role, keeping the original signature. */
    private String tampered(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("\"USER\"", "\"ADMIN\"");
        return parts[0] + "."
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];
    }

    /** {@code alg: none}: a token with no signature at all. */
    private static String unsigned(UUID user) {
        var encoder = java.util.Base64.getUrlEncoder().withoutPadding();
        String header = encoder.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
        String claims = encoder.encodeToString(("{\"sub\":\"" + user + "\",\"iss\":\"" + TestJwts.ISSUER
                        + "\",\"aud\":\"" + TestJwts.AUDIENCE + "\",\"roles\":[\"ADMIN\"],\"exp\":"
                        + (Instant.now().getEpochSecond() + 300) + "}")
                .getBytes());
        return header + "." + claims + ".";
    }

    /** Every service with springdoc gets the same document head and security schemes. */
    @Test
    void theOpenApiDocumentIsTitledAfterTheServiceAndOffersBearerAndPasswordFlow() {
        client().get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.info.title")
                .isEqualTo("platform-it")
                .jsonPath("$.info.description")
                .isEqualTo("The platform's test application.")
                .jsonPath("$.components.securitySchemes.bearer.scheme")
                .isEqualTo("bearer")
                .jsonPath("$.components.securitySchemes.password.flows.password.tokenUrl")
                .isEqualTo("/api/v1/auth/token");
    }
}
