package dev.billing.subscription.application;

import dev.billing.platform.event.OutboundEvent;
import dev.billing.platform.outbox.Outbox;
import dev.billing.subscription.config.SubscriptionProperties;
import dev.billing.subscription.domain.CancelReason;
import dev.billing.subscription.domain.Checkout;
import dev.billing.subscription.domain.Entitlement;
import dev.billing.subscription.domain.FailedCharge;
import dev.billing.subscription.domain.IllegalTransitionException;
import dev.billing.subscription.domain.PaidPeriod;
import dev.billing.subscription.domain.Subscription;
import dev.billing.subscription.domain.SubscriptionEvent;
import dev.billing.subscription.domain.SubscriptionStatus;
import dev.billing.subscription.persistence.ConcurrentChangeException;
import dev.billing.subscription.persistence.EntitlementRepository;
import dev.billing.subscription.persistence.SubscriptionRepository;
import dev.billing.subscription.plan.CatalogPlan;
import dev.billing.subscription.plan.PlanCatalog;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The use cases: load (locked), let the aggregate decide, save the row and its events (plus
 * entitlements-changed for the user) through the outbox, all in one transaction.
 */
@Service
public class Subscriptions {

    private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);

    /** Most subscriptions listed by GET /api/v1/subscriptions/me. */
    public static final int MAX_OWN = 100;

    public static final int MAX_PAGE_SIZE = 100;

    /** The verified caller, as the use cases need it. */
    public record Actor(UUID userId, String email, boolean admin) {}

    public record Page(List<Subscription> items, int page, int size, long total) {}

    private final SubscriptionRepository subscriptions;
    private final EntitlementRepository entitlements;
    private final PlanCatalog plans;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final Clock clock;
    private final SubscriptionProperties props;

    Subscriptions(
            SubscriptionRepository subscriptions,
            EntitlementRepository entitlements,
            PlanCatalog plans,
            Outbox outbox,
            TransactionalOperator tx,
            Clock clock,
            SubscriptionProperties props) {
        this.subscriptions = subscriptions;
        this.entitlements = entitlements;
        this.plans = plans;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
        this.props = props;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    // ---- HTTP use cases ----------------------------------------------------------------------

    /**
     * Subscribes the actor to a plan on sale (404 otherwise); 409 when the actor already has a
     * live subscription (also when two requests race: the partial unique index decides). Joins the
     * caller's transaction when there is one (idempotent requests).
     */
    public Mono<Subscription> subscribe(Actor actor, UUID planId) {
        return plans.find(planId)
                .filter(CatalogPlan::onSale)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("The plan")))
                .flatMap(plan -> {
                    var started = Subscription.subscribe(
                            UUID.randomUUID(), actor.userId(), actor.email(), plan.terms(), now());
                    return tx.transactional(
                            subscriptions.insert(started.subscription()).flatMap(s -> publish(s, started.events())
                                    .thenReturn(s)));
                })
                .onErrorMap(DataIntegrityViolationException.class, e -> alreadySubscribed());
    }

    static RuntimeException alreadySubscribed() {
        return Problems.conflict("You already have a live subscription; cancel it or change its plan.");
    }

    /** One subscription: its owner's or, for an admin, anyone's; 404 for everyone else. */
    public Mono<Subscription> get(Actor actor, UUID id) {
        return subscriptions
                .findById(id)
                .filter(s -> actor.admin() || s.userId().equals(actor.userId()))
                .switchIfEmpty(Mono.error(() -> Problems.notFound("The subscription")));
    }

    public Flux<Subscription> mine(Actor actor) {
        return subscriptions.findByUser(actor.userId(), MAX_OWN);
    }

    public Mono<Page> list(SubscriptionStatus status, UUID userId, int page, int size) {
        return subscriptions
                .page(status, userId, page, size)
                .collectList()
                .zipWith(subscriptions.count(status, userId))
                .map(t -> new Page(t.getT1(), page, size, t.getT2()));
    }

    public Mono<Subscription> cancel(Actor actor, UUID id, boolean atPeriodEnd) {
        return command(actor, id, s -> {
            CancelReason reason = s.userId().equals(actor.userId())
                    ? CancelReason.REQUESTED_BY_USER
                    : CancelReason.REQUESTED_BY_ADMIN;
            return atPeriodEnd ? s.cancelAtPeriodEnd(reason, now()) : s.cancelNow(reason, now());
        });
    }

    public Mono<Subscription> resume(Actor actor, UUID id) {
        return command(actor, id, s -> s.resume(now()));
    }

    /** 404 for an unknown or archived target plan; 409 for a change the state machine refuses. */
    public Mono<Subscription> changePlan(Actor actor, UUID id, UUID planId) {
        return plans.find(planId)
                .filter(CatalogPlan::onSale)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("The plan")))
                .flatMap(plan -> command(actor, id, s -> s.changePlan(plan.terms(), now())));
    }

    /** The user's current entitlement (NONE when nothing is live). */
    public Mono<Entitlement> entitlement(UUID userId) {
        return entitlements.find(userId).defaultIfEmpty(Entitlement.none(userId));
    }

    private Mono<Subscription> command(Actor actor, UUID id, Function<Subscription, List<SubscriptionEvent>> decide) {
        return tx.transactional(subscriptions
                        .lock(id)
                        .filter(s -> actor.admin() || s.userId().equals(actor.userId()))
                        .switchIfEmpty(Mono.error(() -> Problems.notFound("The subscription")))
                        .flatMap(s -> apply(s, decide)))
                .onErrorMap(IllegalTransitionException.class, e -> Problems.conflict(e.getMessage()))
                .onErrorMap(ConcurrentChangeException.class, e -> Problems.conflict(e.getMessage()));
    }

    // ---- facts from other services (listeners; the caller's transaction holds the inbox row) ----

    public Mono<Void> checkoutCreated(UUID id, long paymentVersion, Checkout checkout) {
        return paymentFact(id, paymentVersion, s -> s.checkoutCreated(checkout, now()));
    }

    public Mono<Void> checkoutCompleted(UUID id, long paymentVersion) {
        return paymentFact(id, paymentVersion, s -> s.checkoutCompleted(now()));
    }

    public Mono<Void> paymentSucceeded(UUID id, long paymentVersion, PaidPeriod paid) {
        return paymentFact(id, paymentVersion, s -> s.paymentSucceeded(paid, now()));
    }

    public Mono<Void> paymentFailed(UUID id, long paymentVersion, FailedCharge failed) {
        return paymentFact(id, paymentVersion, s -> s.paymentFailed(failed, now()));
    }

    /**
     * provider-subscription-canceled: Stripe ended the subscription (dashboard, billing portal, or
     * Stripe itself after failed payments). A payment-service fact like the others: dropped when
     * older than the last payment event applied; an ended subscription is left as it is.
     */
    public Mono<Void> providerCanceled(UUID id, long paymentVersion, CancelReason reason) {
        return paymentFact(id, paymentVersion, s -> s.canceledByProvider(reason, now()));
    }

    /** user-deactivated: every live subscription of the user is canceled now. */
    public Mono<Void> userDeactivated(UUID userId) {
        return tx.transactional(subscriptions
                .lockLiveOfUser(userId)
                .concatMap(s -> apply(s, x -> x.cancelNow(CancelReason.USER_DEACTIVATED, now())))
                .then());
    }

    /**
     * A payment-service event: dropped when its version is not above the last one applied to the
     * subscription (a late event from another topic), otherwise the aggregate decides (and may
     * ignore it as stale by period or state).
     */
    private Mono<Void> paymentFact(
            UUID id, long paymentVersion, Function<Subscription, List<SubscriptionEvent>> decide) {
        return tx.transactional(subscriptions
                .lock(id)
                .switchIfEmpty(Mono.fromRunnable(() -> log.warn("payment event for unknown subscription {}", id)))
                .flatMap(s -> {
                    if (s.isStalePaymentEvent(paymentVersion)) {
                        log.info(
                                "dropped stale payment event v{} for subscription {} (applied v{})",
                                paymentVersion,
                                id,
                                s.paymentVersion());
                        return Mono.empty();
                    }
                    return apply(s, x -> {
                        List<SubscriptionEvent> events = decide.apply(x);
                        x.paymentVersionApplied(paymentVersion);
                        return events;
                    });
                })
                .then());
    }

    // ---- shared by use cases and jobs ------------------------------------------------------------

    /** Runs a command on a locked subscription and saves what changed with its events. */
    Mono<Subscription> apply(Subscription s, Function<Subscription, List<SubscriptionEvent>> decide) {
        long before = s.version();
        long paymentBefore = s.paymentVersion();
        List<SubscriptionEvent> events = decide.apply(s);
        if (s.version() == before && s.paymentVersion() == paymentBefore) {
            return Mono.just(s);
        }
        return subscriptions.update(s, before).flatMap(saved -> publish(saved, events)
                .thenReturn(saved));
    }

    /** Records the events and the user's new entitlement in the outbox (inside the caller's transaction). */
    Mono<Void> publish(Subscription s, List<SubscriptionEvent> events) {
        if (events.isEmpty()) {
            return Mono.empty();
        }
        List<OutboundEvent> messages = events.stream()
                .flatMap(e -> SubscriptionMessages.of(s, e).stream())
                .toList();
        Mono<Entitlement> entitlement = s.status().isLive()
                ? Mono.just(Entitlement.of(s, props.entitlementGrace()))
                : subscriptions
                        .findLiveOfUser(s.userId())
                        .map(live -> Entitlement.of(live, props.entitlementGrace()))
                        .defaultIfEmpty(Entitlement.none(s.userId()));
        // the entitlement first (its new version goes into entitlements-changed), then all events in one insert
        return entitlement
                .flatMap(e -> entitlements.save(e, now()).map(version -> Stream.concat(
                                messages.stream(), Stream.of(SubscriptionMessages.entitlementsChanged(e, version)))
                        .toList()))
                .flatMap(outbox::record)
                .then();
    }
}
