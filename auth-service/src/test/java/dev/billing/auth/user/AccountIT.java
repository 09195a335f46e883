package dev.billing.auth.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.auth.AuthIT;
import dev.billing.platform.test.TopicReader;
import dev.billing.platform.test.contracts.EventSchemas;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/** Register, log in (JSON and form), me, refresh with rotation and reuse detection, logout. */
class AccountIT extends AuthIT {

    @Test
    void registerAnswers201WithTheUserAndPublishesUserRegisteredAndAVerificationRequest() {
        String email = uniqueEmail();
        JsonNode user = register("  " + email.toUpperCase() + " ", PASSWORD);

        assertThat(user.get("email").asString()).isEqualTo(email);
        assertThat(user.get("name").asString()).isEqualTo("Test User");
        assertThat(user.get("roles").toString()).isEqualTo("[\"USER\"]");
        assertThat(user.get("emailVerified").asBoolean()).isFalse();
        assertThat(user.get("createdAt").asString()).endsWith("Z");
        assertThat(user.has("passwordHash")).isFalse();

        UUID id = UUID.fromString(user.get("id").asString());
        JsonNode registered = lastEvent("user-registered", id);
        assertThat(registered.get("aggregateversion").asLong()).isEqualTo(1);
        assertThat(registered.at("/data/email").asString()).isEqualTo(email);
        JsonNode verification = lastEvent("email-verification-requested", id);
        assertThat(verification.at("/data/token").asString()).hasSizeGreaterThanOrEqualTo(43);
    }

    @Test
    void aTakenEmailIs409EvenDifferentlyCased() {
        String email = uniqueEmail();
        register(email, PASSWORD);
        postJson(
                        "/api/v1/auth/register",
                        Map.of("email", email.toUpperCase(), "name", "Other", "password", "another fine password"),
                        null)
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void weakPasswordsAndBadFieldsAre400WithTheField() {
        String email = uniqueEmail();
        for (String weak : new String[] {
            "short", "password123", "x".repeat(129), "My" + email.substring(0, email.indexOf('@')) + "Pass!"
        }) {
            postJson("/api/v1/auth/register", Map.of("email", email, "name", "Jane", "password", weak), null)
                    .exchange()
                    .expectStatus()
                    .isBadRequest()
                    .expectHeader()
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.errors.password")
                    .exists();
        }
        postJson("/api/v1/auth/register", Map.of("email", "not-an-email", "name", " ", "password", PASSWORD), null)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors.email")
                .exists()
                .jsonPath("$.errors.name")
                .exists();
        postJson("/api/v1/auth/register", Map.of("email", email, "name", "n".repeat(101), "password", PASSWORD), null)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors.name")
                .exists();
        // nothing was created by the refused attempts
        register(email, PASSWORD);
    }

    @Test
    void malformedJsonWrongContentTypeAndOversizedBodiesAreProblems() {
        http().post()
                .uri("/api/v1/auth/register")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\": ")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http().post()
                .uri("/api/v1/auth/login")
                .contentType(MediaType.TEXT_PLAIN)
                .bodyValue("email=a")
                .exchange()
                .expectStatus()
                .isEqualTo(415)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http().post()
                .uri("/api/v1/auth/register")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\":\"a@example.com\",\"name\":\"" + "x".repeat(300 * 1024) + "\"}")
                .exchange()
                .expectStatus()
                .isEqualTo(413)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void loginGivesATokenPairAndMeAnswersTheCaller() {
        Session s = newUser();
        JsonNode pair = login(s.email(), PASSWORD);
        assertThat(pair.get("tokenType").asString()).isEqualTo("Bearer");
        assertThat(pair.get("expiresIn").asLong()).isEqualTo(900);
        assertThat(pair.get("refreshToken").asString()).hasSizeGreaterThanOrEqualTo(43);

        http().get()
                .uri("/api/v1/auth/me")
                .header(
                        HttpHeaders.AUTHORIZATION,
                        "Bearer " + pair.get("accessToken").asString())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo(s.id().toString())
                .jsonPath("$.email")
                .isEqualTo(s.email())
                .jsonPath("$.roles[0]")
                .isEqualTo("USER");
    }

    @Test
    void unknownEmailAndWrongPasswordGetTheSame401() {
        Session s = newUser();
        String wrong = http().post()
                .uri("/api/v1/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", s.email(), "password", "not the password at all"))
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        String unknown = http().post()
                .uri("/api/v1/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", uniqueEmail(), "password", "not the password at all"))
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(unknown).isEqualTo(wrong);
    }

    @Test
    void theTokenEndpointTakesAFormAndAnswersBothFieldNamings() {
        Session s = newUser();
        http().post()
                .uri("/api/v1/auth/token")
                .body(BodyInserters.fromFormData("username", s.email())
                        .with("password", PASSWORD)
                        .with("grant_type", "password"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.accessToken")
                .exists()
                .jsonPath("$.access_token")
                .exists()
                .jsonPath("$.token_type")
                .isEqualTo("Bearer")
                .jsonPath("$.expires_in")
                .isEqualTo(900);
        http().post()
                .uri("/api/v1/auth/token")
                .body(BodyInserters.fromFormData("username", s.email()).with("password", "wrong password!"))
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void refreshRotatesAndReusingARotatedTokenRevokesTheWholeFamily() {
        Session s = newUser();
        JsonNode second = refresh(s.refreshToken());
        String rotated = second.get("refreshToken").asString();
        assertThat(rotated).isNotEqualTo(s.refreshToken());
        JsonNode third = refresh(rotated);
        String newest = third.get("refreshToken").asString();

        // the first token again: reuse, so the family dies, including the newest token
        refreshFails(s.refreshToken());
        refreshFails(newest);
        // another session of the same user is untouched
        JsonNode other = login(s.email(), PASSWORD);
        refresh(other.get("refreshToken").asString());
    }

    @Test
    void unknownAndExpiredRefreshTokensAre401() {
        refreshFails("no-such-token-" + UUID.randomUUID());
        Session s = newUser();
        clock.advance(java.time.Duration.ofDays(31));
        refreshFails(s.refreshToken());
    }

    @Test
    void logoutRevokesTheFamilyAndIsIdempotent() {
        Session s = newUser();
        String rotated = refresh(s.refreshToken()).get("refreshToken").asString();
        postJson("/api/v1/auth/logout", Map.of("refreshToken", rotated), null)
                .exchange()
                .expectStatus()
                .isNoContent();
        refreshFails(rotated);
        postJson("/api/v1/auth/logout", Map.of("refreshToken", rotated), null)
                .exchange()
                .expectStatus()
                .isNoContent();
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyAnswersTheFirstRegistration() {
        String email = uniqueEmail();
        String key = UUID.randomUUID().toString();
        Map<String, String> body = Map.of("email", email, "name", "Kay", "password", PASSWORD);
        String first = registerWithKey(body, key, 201);
        String retry = registerWithKey(body, key, 201);
        assertThat(JSON.readTree(retry).get("id"))
                .isEqualTo(JSON.readTree(first).get("id"));
        UUID id = UUID.fromString(JSON.readTree(first).get("id").asString());
        assertThat(outboxEvents("user-registered", id)).hasSize(1);

        // the same key for another registration is refused; without a key the email is taken
        registerWithKey(Map.of("email", uniqueEmail(), "name", "Kay", "password", PASSWORD), key, 422);
        postJson("/api/v1/auth/register", body, null).exchange().expectStatus().isEqualTo(409);
    }

    private String registerWithKey(Map<String, String> body, String key, int status) {
        return http().post()
                .uri("/api/v1/auth/register")
                .header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isEqualTo(status)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }

    @Test
    void emptyAndNullBodiesAre400() {
        http().post()
                .uri("/api/v1/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http().post()
                .uri("/api/v1/auth/register")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("null")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        postJson("/api/v1/auth/register", Map.of(), null)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors.email")
                .exists()
                .jsonPath("$.errors.name")
                .exists()
                .jsonPath("$.errors.password")
                .exists();
    }

    @Test
    void twoConcurrentRefreshesWithOneTokenSucceedOnceAndRevokeTheFamily() {
        Session s = newUser();
        List<Integer> statuses = Flux.range(0, 2)
                .flatMap(i -> WebClient.create("http://localhost:" + port)
                        .post()
                        .uri("/api/v1/auth/refresh")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("refreshToken", s.refreshToken()))
                        .exchangeToMono(response -> response.releaseBody()
                                .thenReturn(response.statusCode().value())))
                .collectList()
                .block(java.time.Duration.ofSeconds(30));
        assertThat(statuses).containsExactlyInAnyOrder(200, 401);
    }

    @Test
    void userRegisteredReachesKafkaKeyedByTheUserId() {
        Session s = newUser();
        var records = TopicReader.readUntil(
                "user-registered",
                read -> read.stream().anyMatch(r -> s.id().toString().equals(r.key())),
                java.time.Duration.ofSeconds(30));
        var mine = records.stream()
                .filter(r -> s.id().toString().equals(r.key()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("user-registered for " + s.id() + " not on Kafka"));
        EventSchemas.assertValid(mine.value());
        assertThat(JSON.readTree(mine.value()).at("/data/email").asString()).isEqualTo(s.email());
    }

    @Test
    void theOpenApiDocumentOffersSwaggersPasswordFlow() {
        http().get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.components.securitySchemes.password.flows.password.tokenUrl")
                .isEqualTo("/api/v1/auth/token")
                .jsonPath("$.paths['/api/v1/auth/register']")
                .exists();
    }

    private JsonNode refresh(String refreshToken) {
        String body = postJson("/api/v1/auth/refresh", Map.of("refreshToken", refreshToken), null)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        return JSON.readTree(body);
    }

    private void refreshFails(String refreshToken) {
        postJson("/api/v1/auth/refresh", Map.of("refreshToken", refreshToken), null)
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
}
