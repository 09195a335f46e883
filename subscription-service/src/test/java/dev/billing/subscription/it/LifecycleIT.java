package dev.billing.subscription.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.platform.test.contracts.EventSchemas;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Commands over HTTP and payment-service's events over Kafka. */
class LifecycleIT extends SubscriptionIT {

    record Paid(User user, UUID id, Instant periodStart, Instant periodEnd) {}

    /** A paid plan's subscription activated by its first payment (payment version 3). */
    Paid activeSubscription(Plan plan) {
        User user = newUser();
        UUID id = id(subscribe(user, plan.id()));
        Instant start = now();
        Instant end = start.plus(Duration.ofDays(30));
        paymentSucceeded(id, user.id(), 3, start, end);
        awaitStatus(user, id, "ACTIVE");
        return new Paid(user, id, start, end);
    }

    @Test
    void checkoutUrlAppearsThenThePaymentActivatesWithThePaidPeriod() {
        Plan plan = givenPlan(1999, 0, 3);
        User user = newUser();
        UUID id = id(subscribe(user, plan.id()));
        String url = "http://localhost:8080/api/v1/payments/checkout/" + UUID.randomUUID();
        checkoutSessionCreated(id, user.id(), 1, url);
        await(() -> !subscription(user, id).get("checkout").isNull());
        assertThat(subscription(user, id).get("checkout").get("url").asString()).isEqualTo(url);

        Instant start = now();
        Instant end = start.plus(Duration.ofDays(30));
        paymentSucceeded(id, user.id(), 3, start, end);
        JsonNode active = awaitStatus(user, id, "ACTIVE");
        assertThat(Instant.parse(active.get("currentPeriodStart").asString())).isEqualTo(start);
        assertThat(Instant.parse(active.get("currentPeriodEnd").asString())).isEqualTo(end);
        assertThat(active.get("checkout").isNull()).isTrue();

        JsonNode entitlement = get(user, "/api/v1/entitlements/me");
        assertThat(entitlement.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(entitlement.get("features").get("premium").asBoolean()).isTrue();
        assertThat(types(id)).containsExactly("subscription-created", "subscription-activated");
        assertEventsValid(id, user.id());
    }

    @Test
    void aPaymentDeliveredThreeTimesHasOneEffect() {
        Plan plan = givenPlan(999, 0, 1);
        User user = newUser();
        UUID id = id(subscribe(user, plan.id()));
        Instant start = now();
        String event = paymentSucceeded(id, user.id(), 3, start, start.plus(Duration.ofDays(30)));
        send("payment-succeeded", id, event);
        send("payment-succeeded", id, event);
        awaitStatus(user, id, "ACTIVE");
        // a marker after the duplicates on the same partition (same key): when it is applied, they were too
        String marker = checkoutSessionCreated(id, user.id(), 4, "http://localhost/x");
        awaitApplied(marker);
        assertThat(outbox(id, "subscription-activated")).hasSize(1);
        assertThat(subscription(user, id).get("version").asLong()).isEqualTo(2); // created, activated
    }

    @Test
    void aPaymentBeforeItsCheckoutSessionConverges() {
        Plan plan = givenPlan(999, 0, 1);
        User user = newUser();
        UUID id = id(subscribe(user, plan.id()));
        Instant start = now();
        paymentSucceeded(id, user.id(), 3, start, start.plus(Duration.ofDays(30)));
        awaitStatus(user, id, "ACTIVE");
        String late = checkoutSessionCreated(id, user.id(), 1, "http://localhost:8080/late");
        awaitApplied(late);
        JsonNode s = subscription(user, id);
        assertThat(s.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(s.get("checkout").isNull()).isTrue();
    }

    @Test
    void checkoutCompletedAndThePaymentOfOneChangeShareAVersionAndBothApply() {
        Plan plan = givenPlan(999, 0, 1);
        User user = newUser();
        UUID id = id(subscribe(user, plan.id()));
        checkoutSessionCreated(id, user.id(), 1, "http://localhost:8080/pay");
        await(() -> !subscription(user, id).get("checkout").isNull());
        String completed = publish("checkout-completed", id, 2, d -> {
            d.put("subscriptionId", id.toString());
            d.put("userId", user.id().toString());
        });
        awaitApplied(completed);
        assertThat(subscription(user, id).get("checkout").isNull()).isTrue();
        paymentSucceeded(id, user.id(), 2, now(), now().plus(Duration.ofDays(30)));
        awaitStatus(user, id, "ACTIVE");
    }

    @Test
    void anOldRenewalArrivingAfterANewerOneChangesNothing() {
        Paid paid = activeSubscription(givenPlan(999, 0, 1));
        Instant p2End = paid.periodEnd().plus(Duration.ofDays(30));
        Instant p3End = p2End.plus(Duration.ofDays(30));
        paymentSucceeded(paid.id(), paid.user().id(), 6, p2End, p3End);
        await(() -> subscription(paid.user(), paid.id())
                .get("currentPeriodEnd")
                .asString()
                .equals(p3End.toString()));
        // the renewal of period 2 (payment version 5) arrives late: dropped
        String late = paymentSucceeded(paid.id(), paid.user().id(), 5, paid.periodEnd(), p2End);
        awaitApplied(late);
        // and a late one with a higher version but an older period is stale by period
        String stale = paymentSucceeded(paid.id(), paid.user().id(), 7, paid.periodEnd(), p2End);
        awaitApplied(stale);
        JsonNode s = subscription(paid.user(), paid.id());
        assertThat(Instant.parse(s.get("currentPeriodEnd").asString())).isEqualTo(p3End);
        assertThat(outbox(paid.id(), "subscription-renewed")).hasSize(1);
        assertEventsValid(paid.id());
    }

    @Test
    void aFailedRenewalIsPastDueARetryRenewsAndExhaustedDunningCancels() {
        Paid paid = activeSubscription(givenPlan(999, 0, 1));
        Instant p2End = paid.periodEnd().plus(Duration.ofDays(30));
        Instant retry = paid.periodEnd().plus(Duration.ofDays(3));
        paymentFailed(paid.id(), paid.user().id(), 4, paid.periodEnd(), p2End, retry);
        awaitStatus(paid.user(), paid.id(), "PAST_DUE");
        JsonNode entitlement = lastEntitlement(paid.user().id()).get("data");
        assertThat(entitlement.get("status").asString()).isEqualTo("PAST_DUE");
        assertThat(entitlement.get("features").size()).isPositive();

        // a retry succeeds: ACTIVE again, renewed from PAST_DUE
        paymentSucceeded(paid.id(), paid.user().id(), 5, paid.periodEnd(), p2End);
        awaitStatus(paid.user(), paid.id(), "ACTIVE");
        JsonNode renewed = outbox(paid.id(), "subscription-renewed").getLast();
        assertThat(renewed.get("data").get("previousStatus").asString()).isEqualTo("PAST_DUE");

        // the next renewal fails, then dunning is exhausted
        Instant p3End = p2End.plus(Duration.ofDays(30));
        paymentFailed(paid.id(), paid.user().id(), 6, p2End, p3End, p2End.plus(Duration.ofDays(1)));
        awaitStatus(paid.user(), paid.id(), "PAST_DUE");
        paymentFailed(paid.id(), paid.user().id(), 7, p2End, p3End, null);
        awaitStatus(paid.user(), paid.id(), "CANCELED");
        JsonNode canceled = outbox(paid.id(), "subscription-canceled").getLast();
        assertThat(canceled.get("data").get("reason").asString()).isEqualTo("PAYMENT_FAILED");
        assertThat(lastEntitlement(paid.user().id()).get("data").get("status").asString())
                .isEqualTo("NONE");
        assertThat(get(paid.user(), "/api/v1/entitlements/me").get("status").asString())
                .isEqualTo("NONE");
        // the user's entitlement versions grow with every message (the gateway keeps the newest)
        var versions = outbox(paid.user().id(), "entitlements-changed").stream()
                .map(e -> e.get("aggregateversion").asLong())
                .toList();
        assertThat(versions).hasSizeGreaterThanOrEqualTo(6).isSorted().doesNotHaveDuplicates();
        // and the subscription's versions too
        var subscriptionVersions = outbox(paid.id()).stream()
                .map(e -> e.get("aggregateversion").asLong())
                .toList();
        assertThat(subscriptionVersions).isSorted().doesNotHaveDuplicates();
        assertEventsValid(paid.id(), paid.user().id());
    }

    @Test
    void anAdminCancelsForTheUser() {
        Paid paid = activeSubscription(givenPlan(999, 0, 1));
        JsonNode canceled = post(admin(), "/api/v1/subscriptions/" + paid.id() + "/cancel", null, 200);
        assertThat(canceled.get("status").asString()).isEqualTo("CANCELED");
        assertThat(outbox(paid.id(), "subscription-canceled")
                        .getLast()
                        .get("data")
                        .get("reason")
                        .asString())
                .isEqualTo("REQUESTED_BY_ADMIN");
    }

    @Test
    void aFailedFirstPaymentLeavesItIncomplete() {
        Plan plan = givenPlan(999, 0, 1);
        User user = newUser();
        UUID id = id(subscribe(user, plan.id()));
        Instant now = now();
        String failed = publish("payment-failed", id, 2, d -> {
            d.put("subscriptionId", id.toString());
            d.put("userId", user.id().toString());
            d.put("periodStart", now.toString());
            d.put("periodEnd", now.plus(Duration.ofDays(30)).toString());
            d.put("billingReason", "SUBSCRIPTION_CREATE");
            d.putNull("nextRetryAt");
        });
        awaitApplied(failed);
        assertThat(subscription(user, id).get("status").asString()).isEqualTo("INCOMPLETE");
    }

    @Test
    void cancelNowAndSubscribeAgain() {
        Plan plan = givenPlan(999, 0, 1);
        Paid paid = activeSubscription(plan);
        JsonNode canceled = http().delete()
                .uri("/api/v1/subscriptions/" + paid.id())
                .headers(paid.user().auth())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody()
                .transform(JSON::readTree);
        assertThat(canceled.get("status").asString()).isEqualTo("CANCELED");
        post(paid.user(), "/api/v1/subscriptions/" + paid.id() + "/cancel", Map.of("atPeriodEnd", false), 409);
        assertThat(get(paid.user(), "/api/v1/entitlements/me").get("status").asString())
                .isEqualTo("NONE");
        JsonNode again = subscribe(paid.user(), plan.id());
        assertThat(again.get("status").asString()).isEqualTo("INCOMPLETE");
        assertEventsValid(paid.id(), paid.user().id());
    }

    @Test
    void anIncompleteSubscriptionCanBeCanceledNowButNotAtPeriodEnd() {
        Plan plan = givenPlan(999, 0, 1);
        User user = newUser();
        UUID id = id(subscribe(user, plan.id()));
        post(user, "/api/v1/subscriptions/" + id + "/cancel", Map.of("atPeriodEnd", true), 409);
        JsonNode canceled = post(user, "/api/v1/subscriptions/" + id + "/cancel", null, 200);
        assertThat(canceled.get("status").asString()).isEqualTo("CANCELED");
    }

    @Test
    void cancelAtPeriodEndThenResume() {
        Paid paid = activeSubscription(givenPlan(999, 0, 1));
        String path = "/api/v1/subscriptions/" + paid.id();
        JsonNode scheduled = post(paid.user(), path + "/cancel", Map.of("atPeriodEnd", true), 200);
        assertThat(scheduled.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(scheduled.get("cancelAtPeriodEnd").asBoolean()).isTrue();
        JsonNode event = outbox(paid.id(), "subscription-canceled").getLast().get("data");
        assertThat(event.get("cancelAtPeriodEnd").asBoolean()).isTrue();
        assertThat(Instant.parse(event.get("endsAt").asString())).isEqualTo(paid.periodEnd());
        assertThat(Instant.parse(lastEntitlement(paid.user().id())
                        .get("data")
                        .get("validUntil")
                        .asString()))
                .isEqualTo(paid.periodEnd());

        JsonNode resumed = post(paid.user(), path + "/resume", null, 200);
        assertThat(resumed.get("cancelAtPeriodEnd").asBoolean()).isFalse();
        post(paid.user(), path + "/resume", null, 409);

        assertThat(types(paid.id()))
                .containsExactly(
                        "subscription-created",
                        "subscription-activated",
                        "subscription-canceled",
                        "subscription-resumed");
        JsonNode message = outbox(paid.id(), "subscription-resumed").getLast();
        EventSchemas.assertValid(JSON.writeValueAsString(message));
        assertThat(message.get("aggregateversion").asLong())
                .isEqualTo(resumed.get("version").asLong());
        JsonNode data = message.get("data");
        assertThat(data.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(data.get("cancelAtPeriodEnd").asBoolean()).isFalse();
        assertThat(Instant.parse(data.get("currentPeriodEnd").asString())).isEqualTo(paid.periodEnd());
        assertThat(Instant.parse(data.get("resumedAt").asString()))
                .isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        assertEventsValid(paid.id(), paid.user().id());
    }

    @Test
    void anUpgradeIsImmediateWithProrationAndADowngradeWaitsForThePeriodEnd() {
        Plan basic = givenPlan(999, 0, 1);
        Plan premium = givenPlan(1999, 0, 3);
        Paid paid = activeSubscription(basic);
        String path = "/api/v1/subscriptions/" + paid.id() + "/change-plan";

        clock.advance(Duration.ofDays(15)); // half of the 30-day period left
        JsonNode upgraded = post(paid.user(), path, Map.of("planId", premium.id()), 200);
        assertThat(upgraded.get("planId").asString()).isEqualTo(premium.id().toString());
        JsonNode changed =
                outbox(paid.id(), "subscription-plan-changed").getLast().get("data");
        assertThat(changed.get("proration").asBoolean()).isTrue();
        assertThat(changed.get("previousPlanId").asString())
                .isEqualTo(basic.id().toString());
        assertThat(changed.get("prorationCredit").asLong()).isBetween(495L, 500L);
        assertThat(changed.get("prorationCharge").asLong()).isBetween(995L, 1000L);

        JsonNode downgrade = post(paid.user(), path, Map.of("planId", basic.id()), 200);
        assertThat(downgrade.get("planId").asString()).isEqualTo(premium.id().toString());
        assertThat(downgrade.get("scheduledChange").get("planId").asString())
                .isEqualTo(basic.id().toString());
        assertThat(outbox(paid.id(), "subscription-plan-changed")).hasSize(1);

        post(paid.user(), path, Map.of("planId", premium.id()), 409);
        post(paid.user(), path, Map.of("planId", UUID.randomUUID()), 404);
        assertEventsValid(paid.id(), paid.user().id());
    }

    @Test
    void aDeactivatedUserLosesTheirLiveSubscription() {
        Paid paid = activeSubscription(givenPlan(999, 0, 1));
        publish(
                "user-deactivated",
                paid.user().id(),
                9,
                d -> d.put("userId", paid.user().id().toString()));
        awaitStatus(paid.user(), paid.id(), "CANCELED");
        JsonNode canceled = outbox(paid.id(), "subscription-canceled").getLast().get("data");
        assertThat(canceled.get("reason").asString()).isEqualTo("USER_DEACTIVATED");
        assertEventsValid(paid.id(), paid.user().id());
    }
}
