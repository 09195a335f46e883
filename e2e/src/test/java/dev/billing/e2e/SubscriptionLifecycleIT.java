package dev.billing.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

/**
 * The seed flow and the lifecycle around it, through the gateway on the running services, all
 * driven by Kafka events between them: subscribe, decline, pay, get access, renew, fail a renewal,
 * dunning to cancellation; cancel at period end to expiry; cancel now and subscribe again. Time
 * moves on every service's adjustable clock.
 */
class SubscriptionLifecycleIT {

    static final String PASSWORD = "correct horse battery staple";
    static final String GOOD_CARD = "4242424242424242";
    static final String DECLINED_CARD = "4000000000000002";

    private final RunningStack stack = RunningStack.shared();
    private final Gateway gateway = new Gateway(stack);

    /** One customer with a token. */
    private record Customer(String email, String token) {}

    @Test
    void subscribePayRenewFailAndCancelAcrossTheServices() {
        String admin = gateway.login(RunningStack.ADMIN_EMAIL, RunningStack.ADMIN_PASSWORD)
                .accessToken();
        String basic = planId("basic");
        String standard = planId("standard");

        // A: the seed flow. FREE user gets 403, pays, gets 200.
        Customer alice = customer();
        JsonNode subscription = post(alice, "/api/v1/subscriptions", Map.of("planId", basic), 201);
        String aliceSub = subscription.get("id").asString();
        assertThat(subscription.get("status").asString()).isEqualTo("INCOMPLETE");
        String checkoutUrl = await(
                        alice,
                        "/api/v1/subscriptions/" + aliceSub,
                        s -> !s.path("checkout").isNull() && s.path("checkout").has("url"))
                .get("checkout")
                .get("url")
                .asString();
        assertThat(checkoutUrl).startsWith(stack.gateway() + "/checkout/");
        demoPremium(alice, 403);

        pay(checkoutUrl, DECLINED_CARD, 402);
        assertThat(get(alice, "/api/v1/subscriptions/" + aliceSub).get("status").asString())
                .isEqualTo("INCOMPLETE");
        demoPremium(alice, 403);

        Instant paid = Instant.now();
        pay(checkoutUrl, GOOD_CARD, 200);
        JsonNode active = await(alice, "/api/v1/subscriptions/" + aliceSub, s -> "ACTIVE".equals(status(s)));
        Duration paymentToActive = Duration.between(paid, Instant.now());
        System.out.println("e2e: good-card payment to ACTIVE (seen through the gateway) took "
                + paymentToActive.toMillis() + " ms");
        JsonNode entitlements = get(alice, "/api/v1/entitlements/me");
        assertThat(entitlements.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(entitlements.get("features").get("resolution").asString()).isEqualTo("720p");
        awaitDemoPremium(alice, 200);
        // the declined attempt and the good one, newest first
        JsonNode payments = get(alice, "/api/v1/payments/me").get("items");
        assertThat(payments).hasSize(2);
        assertThat(payments.get(0).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(payments.get(1).get("status").asString()).isEqualTo("FAILED");
        JsonNode invoices = get(alice, "/api/v1/invoices/me").get("items");
        assertThat(invoices).hasSize(1);
        assertThat(invoices.get(0).get("status").asString()).isEqualTo("PAID");
        // notification-service mailed the activation (the stack has no SMTP server: an .eml file)
        await(alice, "/api/v1/notifications/me", n -> {
            for (JsonNode mail : n.get("items")) {
                if (mail.get("subject").asString().equals("Your Basic subscription is active")
                        && "SENT".equals(mail.get("status").asString())) {
                    return true;
                }
            }
            return false;
        });
        assertThat(stack.mails()).anySatisfy(mail -> assertThat(mail)
                .contains(alice.email())
                .contains("Subject: Your Basic subscription is active"));
        String firstPeriodEnd = active.get("currentPeriodEnd").asString();

        // B: cancels at the period end.
        Customer bob = customer();
        String bobSub = post(bob, "/api/v1/subscriptions", Map.of("planId", standard), 201)
                .get("id")
                .asString();
        pay(checkoutUrlOf(bob, bobSub), GOOD_CARD, 200);
        await(bob, "/api/v1/subscriptions/" + bobSub, s -> "ACTIVE".equals(status(s)));
        JsonNode scheduled = post(bob, "/api/v1/subscriptions/" + bobSub + "/cancel", Map.of("atPeriodEnd", true), 200);
        assertThat(scheduled.get("cancelAtPeriodEnd").asBoolean()).isTrue();

        // C: cancels now and subscribes again.
        Customer carol = customer();
        String carolSub = post(carol, "/api/v1/subscriptions", Map.of("planId", basic), 201)
                .get("id")
                .asString();
        pay(checkoutUrlOf(carol, carolSub), GOOD_CARD, 200);
        await(carol, "/api/v1/subscriptions/" + carolSub, s -> "ACTIVE".equals(status(s)));
        gateway.http
                .delete()
                .uri("/api/v1/subscriptions/" + carolSub)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + carol.token())
                .exchange()
                .expectStatus()
                .isOk();
        await(carol, "/api/v1/subscriptions/" + carolSub, s -> "CANCELED".equals(status(s)));
        awaitDemoPremium(carol, 403);
        post(carol, "/api/v1/subscriptions", Map.of("planId", standard), 201);

        // A month later: A renewed, B expired.
        stack.advanceClocks(admin, Duration.ofDays(32));
        JsonNode renewed = await(
                alice,
                "/api/v1/subscriptions/" + aliceSub,
                s -> "ACTIVE".equals(status(s))
                        && s.get("currentPeriodEnd").asString().compareTo(firstPeriodEnd) > 0);
        assertThat(get(alice, "/api/v1/invoices/me").get("items")).hasSize(2);
        await(bob, "/api/v1/subscriptions/" + bobSub, s -> "EXPIRED".equals(status(s)));
        awaitDemoPremium(bob, 403);

        // A's card starts failing: the next renewal fails, then dunning runs out.
        post(alice, "/api/v1/payments/me/card", Map.of("card", DECLINED_CARD), 200);
        stack.advanceClocks(admin, Duration.ofDays(32));
        await(alice, "/api/v1/subscriptions/" + aliceSub, s -> "PAST_DUE".equals(status(s)));
        for (int day = 0;
                day < 12 && !"CANCELED".equals(status(get(alice, "/api/v1/subscriptions/" + aliceSub)));
                day++) {
            stack.advanceClocks(admin, Duration.ofDays(1));
            RunningStack.sleep(4000); // a few job passes on each side
        }
        await(alice, "/api/v1/subscriptions/" + aliceSub, s -> "CANCELED".equals(status(s)));
        awaitDemoPremium(alice, 403);
        assertThat(renewed).isNotNull();
    }

    private Customer customer() {
        String email = Gateway.newEmail();
        gateway.register(email, PASSWORD);
        return new Customer(email, gateway.login(email, PASSWORD).accessToken());
    }

    private String planId(String code) {
        return gateway.planId(code);
    }

    private String checkoutUrlOf(Customer customer, String subscription) {
        return await(customer, "/api/v1/subscriptions/" + subscription, s -> s.path("checkout")
                        .has("url"))
                .get("checkout")
                .get("url")
                .asString();
    }

    /** Posts the simulated checkout page's form, as a browser would. */
    private void pay(String checkoutUrl, String card, int expectedStatus) {
        String path = checkoutUrl.substring(stack.gateway().length());
        gateway.http
                .get()
                .uri(path)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.TEXT_HTML);
        gateway.http
                .post()
                .uri(path)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("card", card))
                .exchange()
                .expectStatus()
                .isEqualTo(expectedStatus);
    }

    private void demoPremium(Customer customer, int status) {
        gateway.http
                .get()
                .uri("/api/v1/demo/premium")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + customer.token())
                .exchange()
                .expectStatus()
                .isEqualTo(status);
    }

    private void awaitDemoPremium(Customer customer, int status) {
        gateway.awaitDemoPremium(customer.token(), status);
    }

    private JsonNode await(Customer customer, String path, Predicate<JsonNode> condition) {
        return gateway.await(customer.token(), path, condition);
    }

    private static String status(JsonNode subscription) {
        return Gateway.status(subscription);
    }

    private JsonNode get(Customer customer, String path) {
        return gateway.get(customer.token(), path);
    }

    private JsonNode post(Customer customer, String path, Object body, int status) {
        return gateway.post(customer.token(), path, body, status);
    }
}
