package dev.billing.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.platform.test.IntegrationTest;
import dev.billing.platform.test.TestClock;
import dev.billing.platform.test.TestHttp;
import dev.billing.platform.test.contracts.EventSchemas;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the auth-service ITs share: real HTTP on the random port, the database, the movable clock. */
@IntegrationTest
public abstract class AuthIT {

    protected static final String PASSWORD = "correct horse battery";
    protected static final String ADMIN_EMAIL = "admin@example.com";
    protected static final String ADMIN_PASSWORD = "admin-password-for-tests";

    protected static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    protected int port;

    @Autowired
    protected DatabaseClient db;

    @Autowired
    protected TestClock clock;

    protected WebTestClient http() {
        return TestHttp.local(port);
    }

    protected static String uniqueEmail() {
        return "user-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
    }

    /** Registers a user and returns the response body as JSON. */
    protected JsonNode register(String email, String password) {
        String body = http().post()
                .uri("/api/v1/auth/register")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "name", "Test User", "password", password))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        return JSON.readTree(body);
    }

    /** Logs in and returns the token pair as JSON. */
    protected JsonNode login(String email, String password) {
        String body = http().post()
                .uri("/api/v1/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", password))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        return JSON.readTree(body);
    }

    private boolean canLogIn(String email, String password) {
        return postJson("/api/v1/auth/login", Map.of("email", email, "password", password), null)
                .exchange()
                .returnResult(String.class)
                .getStatus()
                .is2xxSuccessful();
    }

    /** A registered user with a fresh session: [id, email, accessToken, refreshToken]. */
    protected Session newUser() {
        String email = uniqueEmail();
        JsonNode user = register(email, PASSWORD);
        JsonNode tokens = login(email, PASSWORD);
        return new Session(
                UUID.fromString(user.get("id").asString()),
                email,
                tokens.get("accessToken").asString(),
                tokens.get("refreshToken").asString());
    }

    /** The bootstrapped admin (created at startup, asynchronously: waits for it briefly). */
    protected Session admin() {
        for (int i = 0; i < 50 && !canLogIn(ADMIN_EMAIL, ADMIN_PASSWORD); i++) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        JsonNode tokens = login(ADMIN_EMAIL, ADMIN_PASSWORD);
        return new Session(
                null,
                ADMIN_EMAIL,
                tokens.get("accessToken").asString(),
                tokens.get("refreshToken").asString());
    }

    protected record Session(UUID id, String email, String accessToken, String refreshToken) {
        public String bearer() {
            return "Bearer " + accessToken;
        }
    }

    protected WebTestClient.RequestHeadersSpec<?> postJson(String uri, Object body, String bearer) {
        var spec = http().post().uri(uri).contentType(MediaType.APPLICATION_JSON);
        if (bearer != null) {
            spec = spec.header(HttpHeaders.AUTHORIZATION, bearer);
        }
        return spec.bodyValue(body);
    }

    /** The envelopes of this type about this subject in the outbox, oldest first, each checked against its contract. */
    protected List<JsonNode> outboxEvents(String type, UUID subject) {
        List<String> payloads = db.sql(
                        "SELECT payload FROM outbox WHERE topic = :topic AND msg_key = :key ORDER BY seq")
                .bind("topic", type)
                .bind("key", subject.toString())
                .map(row -> row.get("payload", String.class))
                .all()
                .collectList()
                .block(Duration.ofSeconds(10));
        assertThat(payloads).isNotNull();
        payloads.forEach(EventSchemas::assertValid);
        return payloads.stream().map(JSON::readTree).toList();
    }

    protected JsonNode lastEvent(String type, UUID subject) {
        List<JsonNode> events = outboxEvents(type, subject);
        assertThat(events).as("%s events about %s", type, subject).isNotEmpty();
        return events.getLast();
    }
}
