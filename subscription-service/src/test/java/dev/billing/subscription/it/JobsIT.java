package dev.billing.subscription.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The jobs, with the clock moved forward (no sleeping); the jobs are called directly. */
class JobsIT extends SubscriptionIT {

    UUID activate(User user, UUID id, Instant end) {
        paymentSucceeded(id, user.id(), 3, now(), end);
        awaitStatus(user, id, "ACTIVE");
        return id;
    }

    @Test
    void aCancelAtPeriodEndExpiresWhenThePeriodEnds() {
        Plan plan = givenPlan(999, 0, 1);
        User user = newUser();
        Instant end = now().plus(Duration.ofDays(30));
        UUID id = activate(user, id(subscribe(user, plan.id())), end);
        post(user, "/api/v1/subscriptions/" + id + "/cancel", Map.of("atPeriodEnd", true), 200);

        jobs.expireCanceledAtPeriodEnd().block(WAIT);
        assertThat(subscription(user, id).get("status").asString()).isEqualTo("ACTIVE");

        clock.advance(Duration.ofDays(31));
        jobs.runAll().block(WAIT);
        assertThat(subscription(user, id).get("status").asString()).isEqualTo("EXPIRED");
        JsonNode expired = outbox(id, "subscription-expired").getFirst().get("data");
        assertThat(expired.get("previousStatus").asString()).isEqualTo("ACTIVE");
        assertThat(lastEntitlement(user.id()).get("data").get("status").asString())
                .isEqualTo("NONE");
        jobs.runAll().block(WAIT);
        assertThat(outbox(id, "subscription-expired")).hasSize(1);
        assertEventsValid(id, user.id());
    }

    @Test
    void anIncompleteSubscriptionExpiresAfter23Hours() {
        Plan plan = givenPlan(999, 0, 1);
        User user = newUser();
        UUID id = id(subscribe(user, plan.id()));
        clock.advance(Duration.ofHours(22));
        jobs.expireIncomplete().block(WAIT);
        assertThat(subscription(user, id).get("status").asString()).isEqualTo("INCOMPLETE");
        clock.advance(Duration.ofHours(1));
        jobs.expireIncomplete().block(WAIT);
        assertThat(subscription(user, id).get("status").asString()).isEqualTo("INCOMPLETE_EXPIRED");
        assertThat(outbox(id, "subscription-expired")
                        .getFirst()
                        .get("data")
                        .get("status")
                        .asString())
                .isEqualTo("INCOMPLETE_EXPIRED");
        assertEventsValid(id, user.id());
    }

    @Test
    void aTrialPaidAtItsEndActivatesAndAnUnpaidOneExpiresAfterTheGrace() {
        Plan plan = givenPlan(999, 7, 1);
        User payer = newUser();
        UUID paid = id(subscribe(payer, plan.id()));
        User nonPayer = newUser();
        UUID unpaid = id(subscribe(nonPayer, plan.id()));
        Instant trialEnd =
                Instant.parse(subscription(payer, paid).get("trialEnd").asString());

        clock.advance(Duration.ofDays(7));
        jobs.runAll().block(WAIT);
        assertThat(subscription(nonPayer, unpaid).get("status").asString()).isEqualTo("TRIALING");

        paymentSucceeded(paid, payer.id(), 3, trialEnd, trialEnd.plus(Duration.ofDays(30)));
        awaitStatus(payer, paid, "ACTIVE");
        assertThat(outbox(paid, "subscription-activated")
                        .getFirst()
                        .get("data")
                        .get("previousStatus")
                        .asString())
                .isEqualTo("TRIALING");

        clock.advance(Duration.ofDays(1));
        jobs.runAll().block(WAIT);
        assertThat(subscription(nonPayer, unpaid).get("status").asString()).isEqualTo("EXPIRED");
        assertThat(subscription(payer, paid).get("status").asString()).isEqualTo("ACTIVE");
        assertEventsValid(paid, unpaid, payer.id(), nonPayer.id());
    }

    @Test
    void aScheduledDowngradeIsAppliedAtThePeriodEnd() {
        Plan basic = givenPlan(999, 0, 1);
        Plan premium = givenPlan(1999, 0, 3);
        User user = newUser();
        Instant end = now().plus(Duration.ofDays(30));
        UUID id = activate(user, id(subscribe(user, premium.id())), end);
        post(user, "/api/v1/subscriptions/" + id + "/change-plan", Map.of("planId", basic.id()), 200);

        clock.advance(Duration.ofDays(30));
        jobs.applyScheduledPlanChanges().block(WAIT);
        JsonNode s = subscription(user, id);
        assertThat(s.get("planId").asString()).isEqualTo(basic.id().toString());
        assertThat(s.get("scheduledChange").isNull()).isTrue();
        JsonNode changed = outbox(id, "subscription-plan-changed").getLast().get("data");
        assertThat(changed.get("proration").asBoolean()).isFalse();
        assertThat(changed.get("amount").asLong()).isEqualTo(999);
        assertThat(Instant.parse(changed.get("effectiveAt").asString())).isEqualTo(end);
        assertEventsValid(id, user.id());
    }

    @Test
    void jobsInTwoReplicasTakeDisjointRows() {
        Plan plan = givenPlan(999, 0, 1);
        UUID[] ids = new UUID[6];
        User[] users = new User[6];
        for (int i = 0; i < ids.length; i++) {
            users[i] = newUser();
            ids[i] = id(subscribe(users[i], plan.id()));
        }
        clock.advance(Duration.ofHours(24));
        var results = reactor.core.publisher.Flux.merge(jobs.expireIncomplete(), jobs.expireIncomplete())
                .collectList()
                .block(WAIT);
        assertThat(results).hasSize(2);
        for (int i = 0; i < ids.length; i++) {
            assertThat(subscription(users[i], ids[i]).get("status").asString()).isEqualTo("INCOMPLETE_EXPIRED");
            assertThat(outbox(ids[i], "subscription-expired")).hasSize(1);
        }
    }
}
