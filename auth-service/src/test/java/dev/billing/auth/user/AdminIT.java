package dev.billing.auth.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.auth.AuthIT;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** The bootstrapped admin, admin-only endpoints, roles, deactivation. */
class AdminIT extends AuthIT {

    @Test
    void theAdminIsBootstrappedOnceWithBothRoles() {
        JsonNode pair = login(ADMIN_EMAIL, admin().refreshToken() == null ? "" : ADMIN_PASSWORD);
        http().get()
                .uri("/api/v1/auth/me")
                .header(
                        HttpHeaders.AUTHORIZATION,
                        "Bearer " + pair.get("accessToken").asString())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.roles.length()")
                .isEqualTo(2)
                .jsonPath("$.emailVerified")
                .isEqualTo(true);
        Long admins = db.sql("SELECT count(*) FROM users WHERE email = :email")
                .bind("email", ADMIN_EMAIL)
                .map(row -> row.get(0, Long.class))
                .one()
                .block();
        assertThat(admins).isEqualTo(1);
    }

    @Test
    void adminEndpointsAre403ForUsers() {
        Session user = newUser();
        http().get()
                .uri("/api/v1/auth/users")
                .header(HttpHeaders.AUTHORIZATION, user.bearer())
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http().put()
                .uri("/api/v1/auth/users/" + user.id() + "/roles")
                .header(HttpHeaders.AUTHORIZATION, user.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("roles", List.of("USER", "ADMIN")))
                .exchange()
                .expectStatus()
                .isForbidden();
        postJson("/api/v1/auth/users/" + user.id() + "/deactivate", Map.of(), user.bearer())
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    @Test
    void usersArePagedWithABoundedSize() {
        newUser();
        String admin = admin().bearer();
        http().get()
                .uri("/api/v1/auth/users?page=0&size=2")
                .header(HttpHeaders.AUTHORIZATION, admin)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items.length()")
                .isEqualTo(2)
                .jsonPath("$.size")
                .isEqualTo(2)
                .jsonPath("$.items[0].passwordHash")
                .doesNotExist();
        http().get()
                .uri("/api/v1/auth/users?size=101")
                .header(HttpHeaders.AUTHORIZATION, admin)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors.size")
                .exists();
        http().get()
                .uri("/api/v1/auth/users?page=abc")
                .header(HttpHeaders.AUTHORIZATION, admin)
                .exchange()
                .expectStatus()
                .isBadRequest();
    }

    @Test
    void anAdminChangesRolesAndTheNextTokenCarriesThem() {
        Session user = newUser();
        String admin = admin().bearer();
        http().put()
                .uri("/api/v1/auth/users/" + user.id() + "/roles")
                .header(HttpHeaders.AUTHORIZATION, admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("roles", List.of("USER", "ADMIN")))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.roles.length()")
                .isEqualTo(2);
        String promoted = login(user.email(), PASSWORD).get("accessToken").asString();
        http().get()
                .uri("/api/v1/auth/users")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + promoted)
                .exchange()
                .expectStatus()
                .isOk();
        http().put()
                .uri("/api/v1/auth/users/" + user.id() + "/roles")
                .header(HttpHeaders.AUTHORIZATION, admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("roles", List.of("ROOT")))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors.roles")
                .exists();
        http().put()
                .uri("/api/v1/auth/users/" + UUID.randomUUID() + "/roles")
                .header(HttpHeaders.AUTHORIZATION, admin)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("roles", List.of("USER")))
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aDeactivatedUserCannotLogInOrRefreshAndTheEventIsPublished() {
        Session user = newUser();
        postJson("/api/v1/auth/deactivate", Map.of("password", "wrong password!"), user.bearer())
                .exchange()
                .expectStatus()
                .isBadRequest();
        postJson("/api/v1/auth/deactivate", Map.of("password", PASSWORD), user.bearer())
                .exchange()
                .expectStatus()
                .isNoContent();

        JsonNode event = lastEvent("user-deactivated", user.id());
        assertThat(event.at("/data/email").asString()).isEqualTo(user.email());
        assertThat(event.get("aggregateversion").asLong()).isEqualTo(2);

        String wrongPassword = postJson(
                        "/api/v1/auth/login", Map.of("email", user.email(), "password", "wrong password!"), null)
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        String deactivated = postJson("/api/v1/auth/login", Map.of("email", user.email(), "password", PASSWORD), null)
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(deactivated).isEqualTo(wrongPassword);
        postJson("/api/v1/auth/refresh", Map.of("refreshToken", user.refreshToken()), null)
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void anAdminDeactivatesAUserOnceAndUnknownIdsAre404() {
        Session user = newUser();
        String admin = admin().bearer();
        postJson("/api/v1/auth/users/" + user.id() + "/deactivate", Map.of("reason", "fraud"), admin)
                .exchange()
                .expectStatus()
                .isNoContent();
        assertThat(lastEvent("user-deactivated", user.id()).at("/data/reason").asString())
                .isEqualTo("fraud");
        postJson("/api/v1/auth/users/" + user.id() + "/deactivate", Map.of(), admin)
                .exchange()
                .expectStatus()
                .isEqualTo(409);
        postJson("/api/v1/auth/users/" + UUID.randomUUID() + "/deactivate", Map.of(), admin)
                .exchange()
                .expectStatus()
                .isNotFound();
        postJson("/api/v1/auth/login", Map.of("email", user.email(), "password", PASSWORD), null)
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }
}
