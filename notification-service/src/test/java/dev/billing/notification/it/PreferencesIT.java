package dev.billing.notification.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** {@code /api/v1/notifications/preferences}: opt-outs of non-essential mail, validated, respected. */
class PreferencesIT extends NotificationIT {

    static final String PATH = "/api/v1/notifications/preferences";

    JsonNode put(User user, Object body, int status) {
        String response = http().put()
                .uri(PATH)
                .headers(user.auth())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isEqualTo(status)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        return JSON.readTree(response);
    }

    @Test
    void everythingIsOnUntilTheUserChooses() {
        JsonNode p = get(newUser(), PATH);
        assertThat(p.get("marketing").asBoolean()).isTrue();
        assertThat(p.get("subscriptionUpdates").asBoolean()).isTrue();
        assertThat(p.get("alwaysSent").toString()).contains("security", "billing");
    }

    @Test
    void aChoiceIsKeptPerUser() {
        User user = newUser();
        JsonNode saved = put(user, Map.of("marketing", false, "subscriptionUpdates", true), 200);
        assertThat(saved.get("marketing").asBoolean()).isFalse();
        JsonNode read = get(user, PATH);
        assertThat(read.get("marketing").asBoolean()).isFalse();
        assertThat(read.get("subscriptionUpdates").asBoolean()).isTrue();
        assertThat(get(newUser(), PATH).get("marketing").asBoolean()).isTrue();
    }

    @Test
    void invalidPreferencesAreA400ProblemWithTheFields() {
        User user = newUser();
        JsonNode missing = put(user, Map.of("marketing", false), 400);
        assertThat(missing.get("errors").get("subscriptionUpdates").asString()).contains("required");
        JsonNode notBoolean = put(user, Map.of("marketing", "no", "subscriptionUpdates", true), 400);
        assertThat(notBoolean.get("errors").get("marketing").asString()).contains("true or false");
        JsonNode essential = put(user, Map.of("marketing", true, "subscriptionUpdates", true, "security", false), 400);
        assertThat(essential.get("errors").get("security").asString()).contains("always sent");
        JsonNode unknown = put(user, Map.of("marketing", true, "subscriptionUpdates", true, "sms", false), 400);
        assertThat(unknown.get("errors").get("sms").asString()).contains("unknown");
        http().put()
                .uri(PATH)
                .headers(user.auth())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{not json")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        // nothing was saved
        assertThat(get(user, PATH).get("subscriptionUpdates").asBoolean()).isTrue();
    }

    @Test
    void preferencesNeedAToken() {
        http().get().uri(PATH).exchange().expectStatus().isUnauthorized();
        http().put()
                .uri(PATH)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("marketing", false, "subscriptionUpdates", false))
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void anOptOutSkipsOptionalMailAndEssentialMailStillGoesOut() {
        User user = registeredUser();
        put(user, Map.of("marketing", false, "subscriptionUpdates", false), 200);
        UUID sub = UUID.randomUUID();
        String renewed = subscriptionEvent("subscription-renewed", user, sub, d -> {});
        String expired = subscriptionEvent("subscription-expired", user, sub, d -> {});
        paymentEvent("payment-failed", user, sub, 1499);
        String reset = publish("password-reset-requested", user.id(), 2, d -> {
            d.put("userId", user.id().toString());
            d.put("email", user.email());
            d.put("name", user.name());
            d.put("token", "optout-" + UUID.randomUUID());
        });
        awaitMail(user, "Action needed: your payment of 14.99 USD failed");
        awaitMail(user, "Reset your Acme Test password");
        assertThat(awaitRow(renewed).status()).isEqualTo("SKIPPED");
        assertThat(awaitRow(expired).status()).isEqualTo("SKIPPED");
        assertThat(awaitRow(renewed).model()).isNull();
        assertThat(awaitRow(reset).status()).isIn("PENDING", "SENT");
        sendNow();
        assertThat(mailsTo(user)).hasSize(3); // welcome (before the opt-out), payment failed, reset

        // opting back in applies to the next mail
        put(user, Map.of("marketing", true, "subscriptionUpdates", true), 200);
        subscriptionEvent("subscription-renewed", user, sub, d -> {});
        awaitMail(user, "Your Premium subscription has renewed");
    }
}
