package dev.billing.subscription.domain;

import static dev.billing.subscription.domain.SubscriptionStatus.ACTIVE;
import static dev.billing.subscription.domain.SubscriptionStatus.CANCELED;
import static dev.billing.subscription.domain.SubscriptionStatus.EXPIRED;
import static dev.billing.subscription.domain.SubscriptionStatus.INCOMPLETE;
import static dev.billing.subscription.domain.SubscriptionStatus.INCOMPLETE_EXPIRED;
import static dev.billing.subscription.domain.SubscriptionStatus.PAST_DUE;
import static dev.billing.subscription.domain.SubscriptionStatus.TRIALING;
import static dev.billing.subscription.domain.Subscriptions.PERIOD_END;
import static dev.billing.subscription.domain.Subscriptions.PERIOD_START;
import static dev.billing.subscription.domain.Subscriptions.T0;
import static dev.billing.subscription.domain.Subscriptions.basic;
import static dev.billing.subscription.domain.Subscriptions.cancelingAtPeriodEnd;
import static dev.billing.subscription.domain.Subscriptions.failed;
import static dev.billing.subscription.domain.Subscriptions.of;
import static dev.billing.subscription.domain.Subscriptions.paid;
import static dev.billing.subscription.domain.Subscriptions.plan;
import static dev.billing.subscription.domain.Subscriptions.premium;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billing.subscription.domain.SubscriptionEvent.Activated;
import dev.billing.subscription.domain.SubscriptionEvent.Canceled;
import dev.billing.subscription.domain.SubscriptionEvent.Created;
import dev.billing.subscription.domain.SubscriptionEvent.Expired;
import dev.billing.subscription.domain.SubscriptionEvent.PastDue;
import dev.billing.subscription.domain.SubscriptionEvent.PlanChangeScheduled;
import dev.billing.subscription.domain.SubscriptionEvent.PlanChanged;
import dev.billing.subscription.domain.SubscriptionEvent.Renewed;
import dev.billing.subscription.domain.SubscriptionEvent.Resumed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SubscriptionTest {

    static final Instant NEXT_END = Instant.parse("2027-03-01T00:00:00Z");

    static void assertIllegal(Subscription s, Consumer<Subscription> command) {
        long version = s.version();
        SubscriptionStatus status = s.status();
        assertThatThrownBy(() -> command.accept(s)).isInstanceOf(IllegalTransitionException.class);
        assertThat(s.version()).isEqualTo(version);
        assertThat(s.status()).isEqualTo(status);
    }

    static void assertIgnored(Subscription s, List<SubscriptionEvent> events, long version, SubscriptionStatus was) {
        assertThat(events).isEmpty();
        assertThat(s.version()).isEqualTo(version);
        assertThat(s.status()).isEqualTo(was);
    }

    @Nested
    class Subscribe {
        @Test
        void aPaidPlanStartsIncompleteWithoutAPeriod() {
            var started = Subscription.subscribe(UUID.randomUUID(), UUID.randomUUID(), null, basic(), T0);
            Subscription s = started.subscription();
            assertThat(s.status()).isEqualTo(INCOMPLETE);
            assertThat(s.currentPeriodStart()).isNull();
            assertThat(s.currentPeriodEnd()).isNull();
            assertThat(s.version()).isEqualTo(1);
            assertThat(started.events()).containsExactly(new Created(T0));
        }

        @Test
        void aFreePlanIsActiveAtOnceWithAPeriodThatNeverEnds() {
            Subscription s = Subscription.subscribe(
                            UUID.randomUUID(), UUID.randomUUID(), null, plan("Free", 0, 0, 0), T0)
                    .subscription();
            assertThat(s.status()).isEqualTo(ACTIVE);
            assertThat(s.currentPeriodStart()).isEqualTo(T0);
            assertThat(s.currentPeriodEnd()).isNull();
        }

        @Test
        void aTrialIsTrialingUntilTheTrialEnd() {
            Subscription s = Subscription.subscribe(
                            UUID.randomUUID(), UUID.randomUUID(), null, plan("Trial", 999, 1, 14), T0)
                    .subscription();
            assertThat(s.status()).isEqualTo(TRIALING);
            assertThat(s.trialEnd()).isEqualTo(Instant.parse("2027-01-29T10:00:00Z"));
            assertThat(s.currentPeriodEnd()).isEqualTo(s.trialEnd());
        }
    }

    @Nested
    class CancelNow {
        @ParameterizedTest
        @EnumSource(names = {"INCOMPLETE", "TRIALING", "ACTIVE", "PAST_DUE"})
        void everyLiveSubscriptionCanBeCanceledNow(SubscriptionStatus status) {
            Subscription s = of(status);
            var events = s.cancelNow(CancelReason.REQUESTED_BY_USER, T0);
            assertThat(s.status()).isEqualTo(CANCELED);
            assertThat(s.endedAt()).isEqualTo(T0);
            assertThat(s.version()).isEqualTo(6);
            assertThat(events).containsExactly(new Canceled(CancelReason.REQUESTED_BY_USER, T0, T0));
        }

        @ParameterizedTest
        @EnumSource(names = {"INCOMPLETE_EXPIRED", "CANCELED", "EXPIRED"})
        void anEndedSubscriptionCannotBeCanceled(SubscriptionStatus status) {
            assertIllegal(of(status), s -> s.cancelNow(CancelReason.REQUESTED_BY_USER, T0));
        }

        @Test
        void aScheduledCancelCanBeMadeImmediate() {
            Subscription s = cancelingAtPeriodEnd(ACTIVE);
            s.cancelNow(CancelReason.REQUESTED_BY_USER, T0);
            assertThat(s.status()).isEqualTo(CANCELED);
            assertThat(s.cancelAtPeriodEnd()).isFalse();
        }
    }

    @Nested
    class CanceledByProvider {
        @ParameterizedTest
        @EnumSource(names = {"INCOMPLETE", "TRIALING", "ACTIVE", "PAST_DUE"})
        void aLiveSubscriptionIsCanceledNow(SubscriptionStatus status) {
            Subscription s = of(status);
            long version = s.version();
            var events = s.canceledByProvider(CancelReason.PAYMENT_FAILED, T0);
            assertThat(s.status()).isEqualTo(CANCELED);
            assertThat(s.endedAt()).isEqualTo(T0);
            assertThat(s.version()).isEqualTo(version + 1);
            assertThat(events).containsExactly(new Canceled(CancelReason.PAYMENT_FAILED, T0, T0));
        }

        @ParameterizedTest
        @EnumSource(names = {"INCOMPLETE_EXPIRED", "CANCELED", "EXPIRED"})
        void anEndedSubscriptionStaysAsItIs(SubscriptionStatus status) {
            Subscription s = of(status);
            long version = s.version();
            assertIgnored(s, s.canceledByProvider(CancelReason.REQUESTED_BY_USER, T0), version, status);
        }

        @Test
        void aScheduledCancelEndsNow() {
            Subscription s = cancelingAtPeriodEnd(ACTIVE);
            s.canceledByProvider(CancelReason.REQUESTED_BY_USER, T0);
            assertThat(s.status()).isEqualTo(CANCELED);
            assertThat(s.cancelAtPeriodEnd()).isFalse();
        }
    }

    @Nested
    class CancelAtPeriodEnd {
        @ParameterizedTest
        @EnumSource(names = {"TRIALING", "ACTIVE", "PAST_DUE"})
        void keepsTheStatusUntilThePeriodEnd(SubscriptionStatus status) {
            Subscription s = of(status);
            var events = s.cancelAtPeriodEnd(CancelReason.REQUESTED_BY_USER, T0);
            assertThat(s.status()).isEqualTo(status);
            assertThat(s.cancelAtPeriodEnd()).isTrue();
            assertThat(events).containsExactly(new Canceled(CancelReason.REQUESTED_BY_USER, T0, PERIOD_END));
        }

        @ParameterizedTest
        @EnumSource(names = {"INCOMPLETE", "INCOMPLETE_EXPIRED", "CANCELED", "EXPIRED"})
        void needsALivePeriod(SubscriptionStatus status) {
            assertIllegal(of(status), s -> s.cancelAtPeriodEnd(CancelReason.REQUESTED_BY_USER, T0));
        }

        @Test
        void notTwice() {
            assertIllegal(cancelingAtPeriodEnd(ACTIVE), s -> s.cancelAtPeriodEnd(CancelReason.REQUESTED_BY_USER, T0));
        }

        @Test
        void notForAFreePlanWhosePeriodNeverEnds() {
            Subscription s = Subscription.subscribe(
                            UUID.randomUUID(), UUID.randomUUID(), null, plan("Free", 0, 0, 0), T0)
                    .subscription();
            assertIllegal(s, x -> x.cancelAtPeriodEnd(CancelReason.REQUESTED_BY_USER, T0));
        }
    }

    @Nested
    class Resume {
        @ParameterizedTest
        @EnumSource(names = {"TRIALING", "ACTIVE", "PAST_DUE"})
        void undoesAScheduledCancel(SubscriptionStatus status) {
            Subscription s = cancelingAtPeriodEnd(status);
            var events = s.resume(T0);
            assertThat(s.cancelAtPeriodEnd()).isFalse();
            assertThat(s.canceledAt()).isNull();
            assertThat(events).containsExactly(new Resumed(T0));
        }

        @ParameterizedTest
        @EnumSource(SubscriptionStatus.class)
        void needsAScheduledCancel(SubscriptionStatus status) {
            assertIllegal(of(status), s -> s.resume(T0));
        }
    }

    @Nested
    class ChangePlan {
        @Test
        void anUpgradeIsImmediateWithProration() {
            Subscription s = of(ACTIVE, basic());
            PlanTerms premium = premium();
            Instant half = Instant.parse("2027-01-16T12:00:00Z"); // 15.5 of 31 days used
            var events = s.changePlan(premium, half);
            assertThat(s.plan()).isEqualTo(premium);
            assertThat(events).hasSize(1);
            PlanChanged changed = (PlanChanged) events.getFirst();
            assertThat(changed.proration()).isTrue();
            assertThat(changed.prorationCredit()).isEqualTo(499); // floor(999 / 2)
            assertThat(changed.prorationCharge()).isEqualTo(1000); // ceil(1999 / 2)
            assertThat(changed.previousPlan().name()).isEqualTo("Basic");
        }

        @Test
        void aDowngradeIsScheduledForThePeriodEndAndAppliedThen() {
            Subscription s = of(ACTIVE, premium());
            PlanTerms basic = basic();
            var events = s.changePlan(basic, T0);
            assertThat(s.plan().name()).isEqualTo("Premium");
            assertThat(s.pendingPlan()).isEqualTo(basic);
            assertThat(events).containsExactly(new PlanChangeScheduled(basic, PERIOD_END));

            assertIllegal(s, x -> x.applyScheduledPlanChange(T0));
            var applied = s.applyScheduledPlanChange(PERIOD_END);
            assertThat(s.plan()).isEqualTo(basic);
            assertThat(s.pendingPlan()).isNull();
            assertThat(applied).hasSize(1);
            assertThat(((PlanChanged) applied.getFirst()).proration()).isFalse();
            assertThat(((PlanChanged) applied.getFirst()).effectiveAt()).isEqualTo(PERIOD_END);
        }

        @Test
        void aRenewalPastTheBoundaryAppliesAScheduledDowngrade() {
            Subscription s = of(ACTIVE, premium());
            PlanTerms basic = basic();
            s.changePlan(basic, T0);
            var events = s.paymentSucceeded(paid(PERIOD_END, NEXT_END), PERIOD_END);
            assertThat(s.plan()).isEqualTo(basic);
            assertThat(events).hasSize(2);
            assertThat(events.get(0)).isInstanceOf(PlanChanged.class);
            assertThat(events.get(1)).isInstanceOf(Renewed.class);
        }

        @Test
        void duringATrialAnyChangeIsImmediateAndFree() {
            Subscription s = of(TRIALING, premium());
            var events = s.changePlan(basic(), T0);
            assertThat(s.plan().name()).isEqualTo("Basic");
            assertThat(((PlanChanged) events.getFirst()).proration()).isFalse();
        }

        @ParameterizedTest
        @EnumSource(names = {"INCOMPLETE", "INCOMPLETE_EXPIRED", "PAST_DUE", "CANCELED", "EXPIRED"})
        void onlyWhileTrialingOrActive(SubscriptionStatus status) {
            assertIllegal(of(status), s -> s.changePlan(premium(), T0));
        }

        @Test
        void notToTheSamePlanNorWhileCanceling() {
            Subscription s = of(ACTIVE);
            assertIllegal(s, x -> x.changePlan(x.plan(), T0));
            assertIllegal(cancelingAtPeriodEnd(ACTIVE), x -> x.changePlan(premium(), T0));
        }

        @Test
        void notBetweenFreeAndPaidNorAcrossCurrencies() {
            assertIllegal(of(ACTIVE), s -> s.changePlan(plan("Free", 0, 0, 0), T0));
            PlanTerms euro =
                    new PlanTerms(UUID.randomUUID(), "Euro", 1, 1999, "EUR", BillingInterval.MONTH, 1, 0, 5, null);
            assertIllegal(of(ACTIVE), s -> s.changePlan(euro, T0));
            PlanTerms yearly =
                    new PlanTerms(UUID.randomUUID(), "Yearly", 1, 19999, "USD", BillingInterval.YEAR, 1, 0, 5, null);
            assertIllegal(of(ACTIVE), s -> s.changePlan(yearly, T0));
        }
    }

    @Nested
    class PaymentSucceeded {
        @ParameterizedTest
        @EnumSource(names = {"INCOMPLETE", "TRIALING"})
        void theFirstPaymentActivatesWithThePaidPeriod(SubscriptionStatus status) {
            Subscription s = of(status);
            s.checkoutCreated(new Checkout("https://pay.example/1", T0), T0);
            var events = s.paymentSucceeded(paid(PERIOD_END, NEXT_END), T0);
            assertThat(s.status()).isEqualTo(ACTIVE);
            assertThat(s.currentPeriodStart()).isEqualTo(PERIOD_END);
            assertThat(s.currentPeriodEnd()).isEqualTo(NEXT_END);
            assertThat(s.checkout()).isNull();
            assertThat(events).containsExactly(new Activated(status, T0));
        }

        @ParameterizedTest
        @EnumSource(names = {"ACTIVE", "PAST_DUE"})
        void aLaterPeriodRenews(SubscriptionStatus status) {
            Subscription s = of(status);
            var events = s.paymentSucceeded(paid(PERIOD_END, NEXT_END), T0);
            assertThat(s.status()).isEqualTo(ACTIVE);
            assertThat(s.currentPeriodEnd()).isEqualTo(NEXT_END);
            assertThat(events).hasSize(1);
            Renewed renewed = (Renewed) events.getFirst();
            assertThat(renewed.previousStatus()).isEqualTo(status);
            assertThat(renewed.previousPeriodEnd()).isEqualTo(PERIOD_END);
        }

        @Test
        void anOlderOrTheSamePeriodIsStale() {
            Subscription s = of(ACTIVE);
            assertIgnored(s, s.paymentSucceeded(paid(PERIOD_START, PERIOD_END), T0), 5, ACTIVE);
            assertIgnored(
                    s, s.paymentSucceeded(paid(PERIOD_START.minus(Duration.ofDays(31)), PERIOD_START), T0), 5, ACTIVE);
        }

        @ParameterizedTest
        @EnumSource(names = {"INCOMPLETE_EXPIRED", "CANCELED", "EXPIRED"})
        void anEndedSubscriptionIsNotRevived(SubscriptionStatus status) {
            Subscription s = of(status);
            assertIgnored(s, s.paymentSucceeded(paid(PERIOD_END, NEXT_END), T0), 5, status);
        }
    }

    @Nested
    class PaymentFailed {
        @Test
        void aFailedFirstPaymentLeavesItIncomplete() {
            Subscription s = of(INCOMPLETE);
            assertIgnored(s, s.paymentFailed(failed(T0, NEXT_END, null), T0), 5, INCOMPLETE);
        }

        @ParameterizedTest
        @EnumSource(names = {"TRIALING", "ACTIVE", "PAST_DUE"})
        void aFailedRenewalWithARetryIsPastDue(SubscriptionStatus status) {
            Subscription s = of(status);
            Instant retry = PERIOD_END.plus(Duration.ofDays(3));
            var events = s.paymentFailed(failed(PERIOD_END, NEXT_END, retry), T0);
            assertThat(s.status()).isEqualTo(PAST_DUE);
            assertThat(s.dunningUntil()).isEqualTo(retry);
            assertThat(events).singleElement().isInstanceOf(PastDue.class);
        }

        @ParameterizedTest
        @EnumSource(names = {"TRIALING", "ACTIVE", "PAST_DUE"})
        void exhaustedDunningCancels(SubscriptionStatus status) {
            Subscription s = of(status);
            var events = s.paymentFailed(failed(PERIOD_END, NEXT_END, null), T0);
            assertThat(s.status()).isEqualTo(CANCELED);
            assertThat(events).containsExactly(new Canceled(CancelReason.PAYMENT_FAILED, T0, T0));
        }

        @Test
        void aFailureForAPeriodAlreadyPaidIsStale() {
            Subscription s = of(ACTIVE);
            assertIgnored(s, s.paymentFailed(failed(PERIOD_START, PERIOD_END, null), T0), 5, ACTIVE);
        }

        @ParameterizedTest
        @EnumSource(names = {"INCOMPLETE_EXPIRED", "CANCELED", "EXPIRED"})
        void anEndedSubscriptionIgnoresIt(SubscriptionStatus status) {
            Subscription s = of(status);
            assertIgnored(s, s.paymentFailed(failed(PERIOD_END, NEXT_END, null), T0), 5, status);
        }
    }

    @Nested
    class PaymentVersions {
        @Test
        void onlyAnOlderVersionIsStale() {
            Subscription s = of(INCOMPLETE);
            assertThat(s.isStalePaymentEvent(0)).isFalse();
            s.paymentVersionApplied(3);
            assertThat(s.isStalePaymentEvent(2)).isTrue();
            assertThat(s.isStalePaymentEvent(3)).isFalse(); // several events of one payment-service change
            assertThat(s.isStalePaymentEvent(4)).isFalse();
            s.paymentVersionApplied(1);
            assertThat(s.paymentVersion()).isEqualTo(3);
        }
    }

    @Nested
    class Checkout_ {
        @ParameterizedTest
        @EnumSource(names = {"INCOMPLETE", "TRIALING"})
        void isShownWhileAFirstPaymentIsAwaited(SubscriptionStatus status) {
            Subscription s = of(status);
            assertThat(s.checkoutCreated(new Checkout("https://pay.example/1", T0), T0))
                    .isEmpty();
            assertThat(s.checkout()).isNotNull();
            assertThat(s.version()).isEqualTo(6);
            s.checkoutCompleted(T0);
            assertThat(s.checkout()).isNull();
        }

        @ParameterizedTest
        @EnumSource(names = {"ACTIVE", "PAST_DUE", "CANCELED", "EXPIRED", "INCOMPLETE_EXPIRED"})
        void isIgnoredOtherwise(SubscriptionStatus status) {
            Subscription s = of(status);
            assertIgnored(s, s.checkoutCreated(new Checkout("https://pay.example/1", T0), T0), 5, status);
            assertThat(s.checkout()).isNull();
        }
    }

    @Nested
    class Expiry {
        @ParameterizedTest
        @EnumSource(names = {"TRIALING", "ACTIVE", "PAST_DUE"})
        void aCancelAtPeriodEndExpiresWhenThePeriodEnds(SubscriptionStatus status) {
            Subscription s = cancelingAtPeriodEnd(status);
            assertIllegal(s, x -> x.expireAtPeriodEnd(PERIOD_END.minusSeconds(1)));
            var events = s.expireAtPeriodEnd(PERIOD_END);
            assertThat(s.status()).isEqualTo(EXPIRED);
            assertThat(events).containsExactly(new Expired(status, PERIOD_END));
        }

        @ParameterizedTest
        @EnumSource(SubscriptionStatus.class)
        void withoutAScheduledCancelNothingExpiresAtThePeriodEnd(SubscriptionStatus status) {
            assertIllegal(of(status), s -> s.expireAtPeriodEnd(NEXT_END));
        }

        @Test
        void anIncompleteSubscriptionExpiresAfter23Hours() {
            Subscription s = of(INCOMPLETE);
            assertIllegal(s, x -> x.expireIncomplete(PERIOD_START.plus(Duration.ofHours(22))));
            var events = s.expireIncomplete(PERIOD_START.plus(Duration.ofHours(23)));
            assertThat(s.status()).isEqualTo(INCOMPLETE_EXPIRED);
            assertThat(events).singleElement().isInstanceOf(Expired.class);
        }

        @ParameterizedTest
        @EnumSource(names = {"INCOMPLETE_EXPIRED", "TRIALING", "ACTIVE", "PAST_DUE", "CANCELED", "EXPIRED"})
        void onlyIncompleteExpiresAsIncomplete(SubscriptionStatus status) {
            assertIllegal(of(status), s -> s.expireIncomplete(NEXT_END));
        }

        @Test
        void anUnpaidTrialExpiresAfterTheGrace() {
            Subscription s = of(TRIALING);
            Duration grace = Duration.ofHours(24);
            assertIllegal(s, x -> x.expireUnpaidTrial(PERIOD_END.plus(Duration.ofHours(23)), grace));
            var events = s.expireUnpaidTrial(PERIOD_END.plus(grace), grace);
            assertThat(s.status()).isEqualTo(EXPIRED);
            assertThat(events).containsExactly(new Expired(TRIALING, PERIOD_END.plus(grace)));
        }

        @ParameterizedTest
        @EnumSource(names = {"INCOMPLETE", "INCOMPLETE_EXPIRED", "ACTIVE", "PAST_DUE", "CANCELED", "EXPIRED"})
        void onlyTrialsEndUnpaid(SubscriptionStatus status) {
            assertIllegal(of(status), s -> s.expireUnpaidTrial(NEXT_END, Duration.ZERO));
        }
    }

    @Nested
    class Entitlements {
        @Test
        void activeGrantsTheFeaturesUntilThePeriodEndPlusGrace() {
            Subscription s = of(ACTIVE);
            Entitlement e = Entitlement.of(s, Duration.ofHours(1));
            assertThat(e.status()).isEqualTo("ACTIVE");
            assertThat(e.features()).isEqualTo(s.plan().features());
            assertThat(e.validUntil()).isEqualTo(PERIOD_END.plus(Duration.ofHours(1)));
        }

        @Test
        void aScheduledCancelEndsExactlyAtThePeriodEnd() {
            assertThat(Entitlement.of(cancelingAtPeriodEnd(ACTIVE), Duration.ofHours(1))
                            .validUntil())
                    .isEqualTo(PERIOD_END);
        }

        @Test
        void incompleteGrantsNothingAndEndedIsNone() {
            assertThat(Entitlement.of(of(INCOMPLETE), Duration.ZERO).features()).isEmpty();
            assertThat(Entitlement.of(of(CANCELED), Duration.ZERO).status()).isEqualTo("NONE");
        }

        @Test
        void pastDueKeepsTheFeaturesUntilTheNextRetry() {
            Subscription s = of(ACTIVE);
            Instant retry = NEXT_END;
            s.paymentFailed(failed(PERIOD_END, NEXT_END, retry), T0);
            assertThat(Entitlement.of(s, Duration.ZERO).validUntil()).isEqualTo(retry);
        }
    }
}
