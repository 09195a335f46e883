package dev.billing.subscription.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** provider-subscription-canceled: Stripe ended a subscription on its side. */
class ProviderCancelIT extends SubscriptionIT {

    record Paid(User user, UUID id) {}

    private Paid active() {
        Plan plan = givenPlan(999, 0, 1);
        User user = newUser();
        UUID id = id(subscribe(user, plan.id()));
        Instant start = now();
        paymentSucceeded(id, user.id(), 3, start, start.plus(Duration.ofDays(30)));
        awaitStatus(user, id, "ACTIVE");
        return new Paid(user, id);
    }

    private String providerCanceled(UUID id, UUID userId, long version, String reason) {
        return publish("provider-subscription-canceled", id, version, d -> {
            d.put("subscriptionId", id.toString());
            d.put("userId", userId.toString());
            d.put("reason", reason);
            d.put("canceledAt", clock.instant().toString());
        });
    }

    @Test
    void aLiveSubscriptionIsCanceledOnceWithItsEntitlementRemovedEvenWhenDeliveredTwice() {
        Paid paid = active();
        String event = providerCanceled(paid.id(), paid.user().id(), 4, "PAYMENT_FAILED");
        send("provider-subscription-canceled", paid.id(), event);
        awaitStatus(paid.user(), paid.id(), "CANCELED");
        // a marker behind the duplicate on the same partition: once applied, the duplicate was too
        awaitApplied(providerCanceled(paid.id(), paid.user().id(), 5, "OTHER"));

        assertThat(outbox(paid.id(), "subscription-canceled")).hasSize(1);
        JsonNode canceled =
                outbox(paid.id(), "subscription-canceled").getFirst().get("data");
        assertThat(canceled.get("reason").asString()).isEqualTo("PAYMENT_FAILED");
        assertThat(canceled.get("status").asString()).isEqualTo("CANCELED");
        JsonNode entitlement = lastEntitlement(paid.user().id()).get("data");
        assertThat(entitlement.get("status").asString()).isEqualTo("NONE");
        assertThat(get(paid.user(), "/api/v1/entitlements/me").get("status").asString())
                .isEqualTo("NONE");
        assertEventsValid(paid.id(), paid.user().id());
    }

    @Test
    void anAlreadyCanceledSubscriptionIsLeftAsItIs() {
        Paid paid = active();
        post(paid.user(), "/api/v1/subscriptions/" + paid.id() + "/cancel", null, 200);
        long version = subscription(paid.user(), paid.id()).get("version").asLong();
        awaitApplied(providerCanceled(paid.id(), paid.user().id(), 4, "CANCELLATION_REQUESTED"));
        JsonNode after = subscription(paid.user(), paid.id());
        assertThat(after.get("status").asString()).isEqualTo("CANCELED");
        assertThat(after.get("version").asLong()).isEqualTo(version);
        assertThat(outbox(paid.id(), "subscription-canceled")).hasSize(1);
        assertThat(outbox(paid.id(), "subscription-canceled")
                        .getFirst()
                        .get("data")
                        .get("reason")
                        .asString())
                .isEqualTo("REQUESTED_BY_USER");
    }

    @Test
    void anIncompleteSubscriptionIsCanceledAndTheReasonIsMapped() {
        Plan plan = givenPlan(999, 0, 1);
        User user = newUser();
        UUID id = id(subscribe(user, plan.id()));
        providerCanceled(id, user.id(), 1, "CANCELLATION_REQUESTED");
        awaitStatus(user, id, "CANCELED");
        assertThat(outbox(id, "subscription-canceled")
                        .getFirst()
                        .get("data")
                        .get("reason")
                        .asString())
                .isEqualTo("REQUESTED_BY_USER");
    }

    @Test
    void aReportOlderThanThePaymentEventsAppliedIsDropped() {
        Paid paid = active(); // payment version 3 applied
        awaitApplied(providerCanceled(paid.id(), paid.user().id(), 2, "PAYMENT_DISPUTED"));
        assertThat(subscription(paid.user(), paid.id()).get("status").asString())
                .isEqualTo("ACTIVE");
        assertThat(outbox(paid.id(), "subscription-canceled")).isEmpty();
    }
}
