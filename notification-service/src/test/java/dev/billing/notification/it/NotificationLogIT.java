package dev.billing.notification.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v1/notifications/me}: the caller's own mails, newest first, paginated, without secrets. */
class NotificationLogIT extends NotificationIT {

    static final String ME = "/api/v1/notifications/me";

    @Test
    void eachUserSeesOnlyTheirOwnMailsNewestFirst() {
        User jane = registeredUser();
        User john = registeredUser();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(1));
            String token = "log" + i + "-" + UUID.randomUUID();
            tokens.add(token);
            verificationRequested(jane, token);
            awaitMails(jane, 2 + i);
        }
        String janes = getRaw(jane, ME);
        JsonNode page = JSON.readTree(janes);
        assertThat(page.get("total").asLong()).isEqualTo(4);
        assertThat(page.get("items")).hasSize(4);
        List<String> types = new ArrayList<>();
        page.get("items").forEach(i -> types.add(i.get("type").asString()));
        assertThat(types)
                .containsExactly(
                        "email-verification-requested",
                        "email-verification-requested",
                        "email-verification-requested",
                        "user-registered");
        JsonNode newest = page.get("items").get(0);
        assertThat(newest.get("subject").asString()).isEqualTo("Confirm your email address for Acme Test");
        assertThat(newest.get("category").asString()).isEqualTo("SECURITY");
        assertThat(newest.has("createdAt")).isTrue();
        for (String token : tokens) {
            assertThat(janes).doesNotContain(token);
        }
        assertThat(janes).doesNotContain("verify-email?token", jane.email());

        JsonNode johns = get(john, ME);
        assertThat(johns.get("total").asLong()).isEqualTo(1);
        assertThat(johns.get("items").get(0).get("type").asString()).isEqualTo("user-registered");
    }

    @Test
    void pagesAreBounded() {
        User user = registeredUser();
        UUID sub = UUID.randomUUID();
        subscriptionEvent("subscription-activated", user, sub, d -> {});
        awaitMails(user, 2);
        JsonNode first = get(user, ME + "?page=0&size=1");
        JsonNode second = get(user, ME + "?page=1&size=1");
        assertThat(first.get("items")).hasSize(1);
        assertThat(second.get("items")).hasSize(1);
        assertThat(first.get("total").asLong()).isEqualTo(2);
        assertThat(first.get("items").get(0).get("id"))
                .isNotEqualTo(second.get("items").get(0).get("id"));
        assertThat(get(user, ME + "?page=5&size=10").get("items")).isEmpty();

        for (String bad : List.of("?size=0", "?size=101", "?page=-1", "?size=abc")) {
            http().get()
                    .uri(ME + bad)
                    .headers(user.auth())
                    .exchange()
                    .expectStatus()
                    .isBadRequest()
                    .expectHeader()
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    @Test
    void theLogNeedsAValidToken() {
        http().get().uri(ME).exchange().expectStatus().isUnauthorized();
        String foreign = dev.billing.platform.test.TestJwts.shared()
                .claims(UUID.randomUUID(), "USER")
                .signedBy(dev.billing.platform.test.TestJwts.foreignKey())
                .sign();
        http().get()
                .uri(ME)
                .headers(h -> h.setBearerAuth(foreign))
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void theApiIsDocumented() {
        http().get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(doc -> assertThat(doc).contains(ME, "/api/v1/notifications/preferences"));
    }
}
