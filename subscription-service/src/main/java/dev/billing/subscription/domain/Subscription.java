package dev.billing.subscription.domain;

import static dev.billing.subscription.domain.SubscriptionStatus.ACTIVE;
import static dev.billing.subscription.domain.SubscriptionStatus.CANCELED;
import static dev.billing.subscription.domain.SubscriptionStatus.EXPIRED;
import static dev.billing.subscription.domain.SubscriptionStatus.INCOMPLETE;
import static dev.billing.subscription.domain.SubscriptionStatus.INCOMPLETE_EXPIRED;
import static dev.billing.subscription.domain.SubscriptionStatus.PAST_DUE;
import static dev.billing.subscription.domain.SubscriptionStatus.TRIALING;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The subscription aggregate: an explicit state machine over {@link SubscriptionStatus}.
 *
 * <p>User and admin commands ({@link #cancelNow}, {@link #cancelAtPeriodEnd}, {@link #resume},
 * {@link #changePlan}) and the jobs' commands throw {@link IllegalTransitionException} when the
 * current state does not allow them. Facts reported by other services ({@link #paymentSucceeded},
 * {@link #paymentFailed}, {@link #checkoutCreated}, ...) never throw: a fact that is stale (an
 * older period, a subscription already past that state) is ignored and returns no events, so
 * duplicates and late arrivals cannot regress the subscription.
 *
 * <p>Every method returns the events it caused; a method that changed anything bumps
 * {@link #version()} by one.
 */
public final class Subscription {

    /** An unpaid INCOMPLETE subscription expires after this long. */
    public static final Duration INCOMPLETE_TTL = Duration.ofHours(23);

    private final UUID id;
    private final UUID userId;
    private final String userEmail;
    private PlanTerms plan;
    private PlanTerms pendingPlan;
    private SubscriptionStatus status;
    private Instant currentPeriodStart;
    private Instant currentPeriodEnd;
    private Instant trialEnd;
    private boolean cancelAtPeriodEnd;
    private Instant canceledAt;
    private Instant endedAt;
    private Checkout checkout;
    private Instant dunningUntil;
    private long paymentVersion;
    private long version;
    private final Instant createdAt;
    private Instant updatedAt;

    /** Rehydrates a stored subscription. */
    public Subscription(
            UUID id,
            UUID userId,
            String userEmail,
            PlanTerms plan,
            PlanTerms pendingPlan,
            SubscriptionStatus status,
            Instant currentPeriodStart,
            Instant currentPeriodEnd,
            Instant trialEnd,
            boolean cancelAtPeriodEnd,
            Instant canceledAt,
            Instant endedAt,
            Checkout checkout,
            Instant dunningUntil,
            long paymentVersion,
            long version,
            Instant createdAt,
            Instant updatedAt) {
        this.id = Objects.requireNonNull(id);
        this.userId = Objects.requireNonNull(userId);
        this.userEmail = userEmail;
        this.plan = Objects.requireNonNull(plan);
        this.pendingPlan = pendingPlan;
        this.status = Objects.requireNonNull(status);
        this.currentPeriodStart = currentPeriodStart;
        this.currentPeriodEnd = currentPeriodEnd;
        this.trialEnd = trialEnd;
        this.cancelAtPeriodEnd = cancelAtPeriodEnd;
        this.canceledAt = canceledAt;
        this.endedAt = endedAt;
        this.checkout = checkout;
        this.dunningUntil = dunningUntil;
        this.paymentVersion = paymentVersion;
        this.version = version;
        this.createdAt = Objects.requireNonNull(createdAt);
        this.updatedAt = updatedAt == null ? createdAt : updatedAt;
    }

    /** A new subscription and its events. */
    public record Started(Subscription subscription, List<SubscriptionEvent> events) {}

    /**
     * Subscribes: a free plan (amount 0) is ACTIVE at once with a period that never ends; a plan
     * with trial days is TRIALING until the trial end; any other plan is INCOMPLETE until its
     * first payment.
     */
    public static Started subscribe(UUID id, UUID userId, String userEmail, PlanTerms plan, Instant now) {
        Subscription s;
        if (plan.isFree()) {
            s = new Subscription(
                    id, userId, userEmail, plan, null, ACTIVE, now, null, null, false, null, null, null, null, 0, 1,
                    now, now);
        } else if (plan.trialDays() > 0) {
            Instant trialEnd = BillingPeriods.trialEnd(now, plan.trialDays());
            s = new Subscription(
                    id, userId, userEmail, plan, null, TRIALING, now, trialEnd, trialEnd, false, null, null, null, null,
                    0, 1, now, now);
        } else {
            s = new Subscription(
                    id,
                    userId,
                    userEmail,
                    plan,
                    null,
                    INCOMPLETE,
                    null,
                    null,
                    null,
                    false,
                    null,
                    null,
                    null,
                    null,
                    0,
                    1,
                    now,
                    now);
        }
        return new Started(s, List.of(new Created(now)));
    }

    // ---- user and admin commands -------------------------------------------------------------

    /** Cancels now: any live subscription becomes CANCELED (an INCOMPLETE one too: it is never billed). */
    public List<SubscriptionEvent> cancelNow(CancelReason reason, Instant now) {
        if (!status.isLive()) {
            throw IllegalTransitionException.of(this, "be canceled");
        }
        status = CANCELED;
        cancelAtPeriodEnd = false;
        canceledAt = now;
        endedAt = now;
        pendingPlan = null;
        checkout = null;
        dunningUntil = null;
        return changed(now, new Canceled(reason, now, now));
    }

    /**
     * The payment provider ended the subscription on its side (provider-subscription-canceled):
     * any live subscription becomes CANCELED now, as {@link #cancelNow}; one that has already ended
     * stays as it is (no event), so a late or repeated report changes nothing.
     */
    public List<SubscriptionEvent> canceledByProvider(CancelReason reason, Instant now) {
        if (!status.isLive()) {
            return List.of();
        }
        return cancelNow(reason, now);
    }

    /** Keeps the subscription until its current period (or trial) ends, then the expiry job ends it. */
    public List<SubscriptionEvent> cancelAtPeriodEnd(CancelReason reason, Instant now) {
        if (!(status == TRIALING || status == ACTIVE || status == PAST_DUE) || currentPeriodEnd == null) {
            throw IllegalTransitionException.of(this, "be canceled at the period end (it has no period end)");
        }
        if (cancelAtPeriodEnd) {
            throw IllegalTransitionException.of(this, "be canceled at the period end again");
        }
        cancelAtPeriodEnd = true;
        canceledAt = now;
        pendingPlan = null;
        return changed(now, new Canceled(reason, now, currentPeriodEnd));
    }

    /** Undoes a scheduled cancel. */
    public List<SubscriptionEvent> resume(Instant now) {
        if (!status.isLive() || !cancelAtPeriodEnd) {
            throw IllegalTransitionException.of(this, "be resumed (no cancel is scheduled)");
        }
        cancelAtPeriodEnd = false;
        canceledAt = null;
        return changed(now, new Resumed(now));
    }

    /**
     * Moves to another plan. While TRIALING the change is immediate and free. While ACTIVE an
     * upgrade (higher tier) is immediate with {@link Proration}; a downgrade (same or lower tier)
     * is scheduled for the period end (see {@link #applyScheduledPlanChange}). Both plans must be
     * paid plans with the same currency and billing interval.
     */
    public List<SubscriptionEvent> changePlan(PlanTerms target, Instant now) {
        if (!(status == TRIALING || status == ACTIVE)) {
            throw IllegalTransitionException.of(this, "change its plan");
        }
        if (cancelAtPeriodEnd) {
            throw IllegalTransitionException.of(this, "change its plan before it is resumed");
        }
        if (target.planId().equals(plan.planId())) {
            throw new IllegalTransitionException("The subscription is already on this plan.");
        }
        if (pendingPlan != null && target.planId().equals(pendingPlan.planId())) {
            throw new IllegalTransitionException("This plan change is already scheduled.");
        }
        if (plan.isFree() || target.isFree()) {
            throw new IllegalTransitionException(
                    "Moving between a free and a paid plan is not a plan change: cancel and subscribe again.");
        }
        if (!plan.sameBillingCycleAs(target)) {
            throw new IllegalTransitionException(
                    "Plans with another currency or billing interval cannot be changed to mid-period.");
        }
        PlanTerms previous = plan;
        if (status == TRIALING) {
            plan = target;
            pendingPlan = null;
            return changed(now, new PlanChanged(previous, false, 0, 0, now));
        }
        if (target.tier() > plan.tier()) {
            Proration p = Proration.of(previous.amount(), target.amount(), currentPeriodStart, currentPeriodEnd, now);
            plan = target;
            pendingPlan = null;
            return changed(now, new PlanChanged(previous, true, p.credit(), p.charge(), now));
        }
        pendingPlan = target;
        return changed(now, new PlanChangeScheduled(target, currentPeriodEnd));
    }

    // ---- jobs --------------------------------------------------------------------------------

    /** A scheduled downgrade takes effect once the period it was scheduled in has ended. */
    public List<SubscriptionEvent> applyScheduledPlanChange(Instant now) {
        if (pendingPlan == null
                || !(status == ACTIVE || status == PAST_DUE)
                || currentPeriodEnd == null
                || currentPeriodEnd.isAfter(now)) {
            throw IllegalTransitionException.of(this, "apply a scheduled plan change now");
        }
        return changed(now, switchToPendingPlan(currentPeriodEnd));
    }

    /** A subscription set to cancel at its period end: EXPIRED once that end has passed. */
    public List<SubscriptionEvent> expireAtPeriodEnd(Instant now) {
        if (!status.isLive() || !cancelAtPeriodEnd || currentPeriodEnd == null || currentPeriodEnd.isAfter(now)) {
            throw IllegalTransitionException.of(this, "expire now");
        }
        SubscriptionStatus previous = status;
        status = EXPIRED;
        endedAt = now;
        pendingPlan = null;
        checkout = null;
        dunningUntil = null;
        return changed(now, new Expired(previous, now));
    }

    /** INCOMPLETE for {@link #INCOMPLETE_TTL} without a payment: INCOMPLETE_EXPIRED. */
    public List<SubscriptionEvent> expireIncomplete(Instant now) {
        if (status != INCOMPLETE || createdAt.plus(INCOMPLETE_TTL).isAfter(now)) {
            throw IllegalTransitionException.of(this, "expire as incomplete now");
        }
        status = INCOMPLETE_EXPIRED;
        endedAt = now;
        checkout = null;
        return changed(now, new Expired(INCOMPLETE, now));
    }

    /**
     * A trial whose end passed {@code grace} ago without a payment (payment-service charges at
     * the trial end) is EXPIRED. A failed charge moved it to PAST_DUE before, so this is only the
     * case where no charge was reported at all.
     */
    public List<SubscriptionEvent> expireUnpaidTrial(Instant now, Duration grace) {
        if (status != TRIALING || trialEnd == null || trialEnd.plus(grace).isAfter(now)) {
            throw IllegalTransitionException.of(this, "end its trial unpaid now");
        }
        status = EXPIRED;
        endedAt = now;
        checkout = null;
        return changed(now, new Expired(TRIALING, now));
    }

    // ---- facts from payment-service and auth-service -------------------------------------------

    /** checkout-session-created: show where to pay (only while a first payment is awaited). */
    public List<SubscriptionEvent> checkoutCreated(Checkout created, Instant now) {
        if (status != INCOMPLETE && status != TRIALING) {
            return List.of();
        }
        checkout = created;
        touch(now);
        return List.of();
    }

    /** checkout-completed: the page is done with; the payment itself arrives as payment-succeeded. */
    public List<SubscriptionEvent> checkoutCompleted(Instant now) {
        if (checkout == null) {
            return List.of();
        }
        checkout = null;
        touch(now);
        return List.of();
    }

    /**
     * payment-succeeded: the first payment (INCOMPLETE, or TRIALING at the trial end) activates
     * with the paid period; a payment for a period ending after the current one renews (also from
     * PAST_DUE), applying a downgrade scheduled for that boundary. A payment for a period not
     * after the current one (a duplicate, an old renewal arriving late, a proration invoice) and
     * any payment for an ended subscription change nothing.
     */
    public List<SubscriptionEvent> paymentSucceeded(PaidPeriod paid, Instant now) {
        if (!paid.periodEnd().isAfter(paid.periodStart())) {
            return List.of();
        }
        if (status == INCOMPLETE || status == TRIALING) {
            SubscriptionStatus previous = status;
            status = ACTIVE;
            currentPeriodStart = paid.periodStart();
            currentPeriodEnd = paid.periodEnd();
            checkout = null;
            dunningUntil = null;
            return changed(now, new Activated(previous, now));
        }
        if (status == ACTIVE || status == PAST_DUE) {
            if (currentPeriodEnd == null || !paid.periodEnd().isAfter(currentPeriodEnd)) {
                return List.of();
            }
            List<SubscriptionEvent> events = new ArrayList<>();
            Instant previousEnd = currentPeriodEnd;
            if (pendingPlan != null && !paid.periodStart().isBefore(previousEnd)) {
                events.add(switchToPendingPlan(previousEnd));
            }
            SubscriptionStatus previous = status;
            status = ACTIVE;
            currentPeriodStart = paid.periodStart();
            currentPeriodEnd = paid.periodEnd();
            dunningUntil = null;
            events.add(new Renewed(previous, previousEnd, paid.invoiceId()));
            return changed(now, events.toArray(SubscriptionEvent[]::new));
        }
        return List.of();
    }

    /**
     * payment-failed: a failed first payment leaves INCOMPLETE as it is (the user may retry). A
     * failed charge for a period after the current one (a renewal, or the charge at a trial end)
     * makes it PAST_DUE while a retry follows, and CANCELED (PAYMENT_FAILED) when none does. A
     * failure for a period not after the current one (already paid, or an old attempt) is stale.
     */
    public List<SubscriptionEvent> paymentFailed(FailedCharge failed, Instant now) {
        if (!(status == TRIALING || status == ACTIVE || status == PAST_DUE)) {
            return List.of();
        }
        if (currentPeriodEnd == null || !failed.periodEnd().isAfter(currentPeriodEnd)) {
            return List.of();
        }
        if (failed.nextRetryAt() == null) {
            status = CANCELED;
            cancelAtPeriodEnd = false;
            canceledAt = now;
            endedAt = now;
            pendingPlan = null;
            checkout = null;
            dunningUntil = null;
            return changed(now, new Canceled(CancelReason.PAYMENT_FAILED, now, now));
        }
        status = PAST_DUE;
        dunningUntil = failed.nextRetryAt();
        return changed(
                now,
                new PastDue(
                        failed.invoiceId(),
                        failed.amount(),
                        failed.currency(),
                        failed.attemptCount(),
                        failed.nextRetryAt()));
    }

    /** Records the version of the last payment-service event applied to this subscription. */
    public void paymentVersionApplied(long eventVersion) {
        paymentVersion = Math.max(paymentVersion, eventVersion);
    }

    /**
     * True when a payment-service event of this version is older than one applied. An event with
     * the same version is not stale: payment-service may publish several events of one change
     * (checkout-completed and payment-succeeded) with one version; the inbox drops duplicates and
     * the state machine drops stale periods.
     */
    public boolean isStalePaymentEvent(long eventVersion) {
        return eventVersion < paymentVersion;
    }

    // ---- helpers -----------------------------------------------------------------------------

    private PlanChanged switchToPendingPlan(Instant effectiveAt) {
        PlanTerms previous = plan;
        plan = pendingPlan;
        pendingPlan = null;
        if (plan.isFree()) {
            currentPeriodEnd = null;
        }
        return new PlanChanged(previous, false, 0, 0, effectiveAt);
    }

    private List<SubscriptionEvent> changed(Instant now, SubscriptionEvent... events) {
        touch(now);
        return List.of(events);
    }

    private void touch(Instant now) {
        version++;
        updatedAt = now;
    }

    public UUID id() {
        return id;
    }

    public UUID userId() {
        return userId;
    }

    public String userEmail() {
        return userEmail;
    }

    public PlanTerms plan() {
        return plan;
    }

    public PlanTerms pendingPlan() {
        return pendingPlan;
    }

    public SubscriptionStatus status() {
        return status;
    }

    public Instant currentPeriodStart() {
        return currentPeriodStart;
    }

    public Instant currentPeriodEnd() {
        return currentPeriodEnd;
    }

    public Instant trialEnd() {
        return trialEnd;
    }

    public boolean cancelAtPeriodEnd() {
        return cancelAtPeriodEnd;
    }

    public Instant canceledAt() {
        return canceledAt;
    }

    public Instant endedAt() {
        return endedAt;
    }

    public Checkout checkout() {
        return checkout;
    }

    public Instant dunningUntil() {
        return dunningUntil;
    }

    public long paymentVersion() {
        return paymentVersion;
    }

    public long version() {
        return version;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
