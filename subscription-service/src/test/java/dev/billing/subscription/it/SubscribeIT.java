package dev.billing.subscription.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

class SubscribeIT extends SubscriptionIT {

    @Test
    void aPaidPlanStartsIncompleteAndEmitsSubscriptionCreatedWithThePrice() {
        Plan plan = givenPlan(1499, 0, 2);
        User user = newUser();
        JsonNode created = subscribe(user, plan.id());
        assertThat(created.get("status").asString()).isEqualTo("INCOMPLETE");
        assertThat(created.get("planId").asString()).isEqualTo(plan.id().toString());
        assertThat(created.get("checkout").isNull()).isTrue();
        assertThat(created.get("currentPeriodEnd").isNull()).isTrue();
        assertThat(created.get("version").asLong()).isEqualTo(1);

        JsonNode event = outbox(id(created), "subscription-created").getFirst();
        assertThat(event.get("data").get("amount").asLong()).isEqualTo(1499);
        assertThat(event.get("data").get("userEmail").asString()).isEqualTo("user-" + user.id() + "@example.com");
        JsonNode entitlement = lastEntitlement(user.id());
        assertThat(entitlement.get("data").get("status").asString()).isEqualTo("INCOMPLETE");
        assertThat(entitlement.get("data").get("features").size()).isZero();
        assertEventsValid(id(created), user.id());
    }

    @Test
    void aFreePlanIsActiveAtOnceAndEntitles() {
        Plan plan = givenPlan(0, 0, 0);
        User user = newUser();
        JsonNode created = subscribe(user, plan.id());
        assertThat(created.get("status").asString()).isEqualTo("ACTIVE");
        JsonNode entitlement = get(user, "/api/v1/entitlements/me");
        assertThat(entitlement.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(entitlement.get("planId").asString()).isEqualTo(plan.id().toString());
        assertThat(entitlement.get("features").size()).isPositive();
        assertThat(entitlement.get("validUntil").isNull()).isTrue();
        assertEventsValid(id(created), user.id());
    }

    @Test
    void aTrialIsTrialingAndEntitledUntilTheTrialEnd() {
        Plan plan = givenPlan(999, 14, 1);
        User user = newUser();
        JsonNode created = subscribe(user, plan.id());
        assertThat(created.get("status").asString()).isEqualTo("TRIALING");
        assertThat(created.get("trialEnd").isNull()).isFalse();
        assertThat(get(user, "/api/v1/entitlements/me").get("status").asString())
                .isEqualTo("TRIALING");
        assertEventsValid(id(created), user.id());
    }

    @Test
    void anUnknownOrArchivedPlanIs404() {
        User user = newUser();
        post(user, "/api/v1/subscriptions", Map.of("planId", UUID.randomUUID()), 404);

        Plan plan = givenPlan(999, 0, 1);
        publish("plan-archived", plan.id(), 2, d -> d.put("id", plan.id().toString()));
        await(() -> count("SELECT count(*) FROM plans WHERE id = '" + plan.id() + "' AND status = 'ARCHIVED'") == 1);
        JsonNode problem = post(user, "/api/v1/subscriptions", Map.of("planId", plan.id()), 404);
        assertThat(problem.get("status").asInt()).isEqualTo(404);

        // a late, older plan-published does not bring it back on sale
        String late = publish("plan-published", plan.id(), 1, d -> {
            d.put("id", plan.id().toString());
            d.put("status", "ACTIVE");
        });
        awaitApplied(late);
        post(user, "/api/v1/subscriptions", Map.of("planId", plan.id()), 404);
    }

    @Test
    void aSecondLiveSubscriptionIs409AndAMissingPlanIdIs400() {
        Plan plan = givenPlan(999, 0, 1);
        User user = newUser();
        subscribe(user, plan.id());
        JsonNode problem = post(user, "/api/v1/subscriptions", Map.of("planId", plan.id()), 409);
        assertThat(problem.get("status").asInt()).isEqualTo(409);
        post(user, "/api/v1/subscriptions", Map.of(), 400);
    }

    @Test
    void concurrentSubscribesCreateOneSubscription() throws Exception {
        Plan plan = givenPlan(999, 0, 1);
        User user = newUser();
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(() -> http().post()
                    .uri("/api/v1/subscriptions")
                    .headers(user.auth())
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("planId", plan.id()))
                    .exchange()
                    .returnResult(String.class)
                    .getStatus()
                    .value());
        }
        List<Integer> statuses = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(6)) {
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
        }
        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(count("SELECT count(*) FROM subscriptions WHERE user_id = '" + user.id() + "'"))
                .isEqualTo(1);
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyGetsTheFirstAnswer() throws Exception {
        Plan plan = givenPlan(999, 0, 1);
        User user = newUser();
        String key = UUID.randomUUID().toString();
        Callable<String> call = () -> http().post()
                .uri("/api/v1/subscriptions")
                .headers(user.auth())
                .header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("planId", plan.id()))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        List<String> bodies = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(3)) {
            for (Future<String> f : pool.invokeAll(List.of(call, call, call))) {
                bodies.add(f.get());
            }
        }
        bodies.add(call.call());
        assertThat(bodies).hasSize(4).allMatch(b -> JSON.readTree(b).equals(JSON.readTree(bodies.getFirst())));
        assertThat(count("SELECT count(*) FROM subscriptions WHERE user_id = '" + user.id() + "'"))
                .isEqualTo(1);

        // the same key for another plan is refused
        Plan other = givenPlan(1999, 0, 3);
        http().post()
                .uri("/api/v1/subscriptions")
                .headers(user.auth())
                .header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("planId", other.id()))
                .exchange()
                .expectStatus()
                .isEqualTo(422);
    }

    @Test
    void othersSee404AndAdminsSeeEverything() {
        Plan plan = givenPlan(999, 0, 1);
        User owner = newUser();
        UUID id = id(subscribe(owner, plan.id()));

        User stranger = newUser();
        http().get()
                .uri("/api/v1/subscriptions/" + id)
                .headers(stranger.auth())
                .exchange()
                .expectStatus()
                .isNotFound();
        post(stranger, "/api/v1/subscriptions/" + id + "/cancel", Map.of("atPeriodEnd", false), 404);
        http().get()
                .uri("/api/v1/subscriptions?userId=" + owner.id())
                .headers(stranger.auth())
                .exchange()
                .expectStatus()
                .isForbidden();

        User admin = admin();
        assertThat(subscription(admin, id).get("userId").asString())
                .isEqualTo(owner.id().toString());
        JsonNode page = get(admin, "/api/v1/subscriptions?status=INCOMPLETE&userId=" + owner.id() + "&size=5");
        assertThat(page.get("total").asLong()).isEqualTo(1);
        assertThat(page.get("items").get(0).get("id").asString()).isEqualTo(id.toString());
        http().get()
                .uri("/api/v1/subscriptions?size=1000")
                .headers(admin.auth())
                .exchange()
                .expectStatus()
                .isBadRequest();
        http().get()
                .uri("/api/v1/subscriptions?status=NOPE")
                .headers(admin.auth())
                .exchange()
                .expectStatus()
                .isBadRequest();
    }

    @Test
    void mineListsNewestFirst() {
        Plan plan = givenPlan(999, 0, 1);
        User user = newUser();
        UUID first = id(subscribe(user, plan.id()));
        post(user, "/api/v1/subscriptions/" + first + "/cancel", Map.of("atPeriodEnd", false), 200);
        clock.advance(java.time.Duration.ofSeconds(1));
        UUID second = id(subscribe(user, plan.id()));
        JsonNode mine = get(user, "/api/v1/subscriptions/me");
        assertThat(mine.size()).isEqualTo(2);
        assertThat(mine.get(0).get("id").asString()).isEqualTo(second.toString());
        assertThat(mine.get(1).get("id").asString()).isEqualTo(first.toString());
    }

    @Test
    void nothingLiveIsNone() {
        JsonNode entitlement = get(newUser(), "/api/v1/entitlements/me");
        assertThat(entitlement.get("status").asString()).isEqualTo("NONE");
        assertThat(entitlement.get("features").size()).isZero();
        assertThat(entitlement.get("planId").isNull()).isTrue();
    }
}
