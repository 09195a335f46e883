package dev.billing.subscription.application;

import dev.billing.subscription.config.SubscriptionProperties;
import dev.billing.subscription.domain.IllegalTransitionException;
import dev.billing.subscription.domain.Subscription;
import dev.billing.subscription.domain.SubscriptionEvent;
import dev.billing.subscription.persistence.IdempotencyRepository;
import dev.billing.subscription.persistence.SubscriptionRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The time-driven transitions. Each job claims a batch of due rows with {@code FOR UPDATE SKIP
 * LOCKED} in one transaction, lets each aggregate decide, saves rows and events, commits, and
 * repeats while batches come back full; replicas running the same job take disjoint rows. Time
 * comes only from the injected clock (moved by tests, and by {@code /internal/clock/advance} in a
 * test stack).
 */
@Component
public class SubscriptionJobs {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionJobs.class);

    static final String CANCELED_AT_PERIOD_END =
            "status IN ('TRIALING', 'ACTIVE', 'PAST_DUE')" + " AND cancel_at_period_end AND current_period_end <= :at";
    static final String INCOMPLETE_TOO_OLD = "status = 'INCOMPLETE' AND created_at <= :at";
    static final String TRIAL_ENDED_UNPAID = "status = 'TRIALING' AND NOT cancel_at_period_end AND trial_end <= :at";
    static final String DOWNGRADE_DUE = "status IN ('ACTIVE', 'PAST_DUE') AND pending_plan IS NOT NULL"
            + " AND NOT cancel_at_period_end AND current_period_end <= :at";

    /** How long an Idempotency-Key's first answer is kept. */
    static final Duration IDEMPOTENCY_KEY_TTL = Duration.ofHours(24);

    private final AtomicBoolean passRunning = new AtomicBoolean();
    private final Subscriptions subscriptions;
    private final SubscriptionRepository repository;
    private final IdempotencyRepository keys;
    private final TransactionalOperator tx;
    private final SubscriptionProperties props;

    SubscriptionJobs(
            Subscriptions subscriptions,
            SubscriptionRepository repository,
            IdempotencyRepository keys,
            TransactionalOperator tx,
            SubscriptionProperties props) {
        this.subscriptions = subscriptions;
        this.repository = repository;
        this.keys = keys;
        this.tx = tx;
        this.props = props;
    }

    /** Period end with a cancel scheduled: EXPIRED. */
    public Mono<Long> expireCanceledAtPeriodEnd() {
        Instant now = subscriptions.now();
        return run(CANCELED_AT_PERIOD_END, now, (s, t) -> s.expireAtPeriodEnd(now));
    }

    /** INCOMPLETE for 23 hours: INCOMPLETE_EXPIRED. */
    public Mono<Long> expireIncomplete() {
        Instant now = subscriptions.now();
        return run(INCOMPLETE_TOO_OLD, now.minus(Subscription.INCOMPLETE_TTL), (s, t) -> s.expireIncomplete(now));
    }

    /** A trial ended {@code trial-payment-grace} ago and payment-service reported no charge: EXPIRED. */
    public Mono<Long> expireUnpaidTrials() {
        Instant now = subscriptions.now();
        Duration grace = props.trialPaymentGrace();
        return run(TRIAL_ENDED_UNPAID, now.minus(grace), (s, t) -> s.expireUnpaidTrial(now, grace));
    }

    /** A downgrade scheduled for a period end that has passed: the plan changes (no proration). */
    public Mono<Long> applyScheduledPlanChanges() {
        Instant now = subscriptions.now();
        return run(DOWNGRADE_DUE, now, (s, t) -> s.applyScheduledPlanChange(now));
    }

    /** Every job once, in order; the number of subscriptions changed. */
    public Mono<Long> runAll() {
        return Flux.concat(
                        expireCanceledAtPeriodEnd(),
                        applyScheduledPlanChanges(),
                        expireIncomplete(),
                        expireUnpaidTrials())
                .reduce(0L, Long::sum);
    }

    @Scheduled(
            fixedDelayString = "${subscription.jobs.interval:5s}",
            initialDelayString = "${subscription.jobs.interval:5s}")
    void scheduled() {
        if (!props.jobs().enabled()) {
            return;
        }
        // No thread waits for the pass; the flag keeps passes from overlapping.
        if (!passRunning.compareAndSet(false, true)) {
            return;
        }
        Mono.defer(this::runAll)
                .flatMap(changed -> keys.purge(subscriptions.now().minus(IDEMPOTENCY_KEY_TTL))
                        .thenReturn(changed))
                .timeout(Duration.ofMinutes(5))
                .doFinally(signal -> passRunning.set(false))
                .subscribe(
                        changed -> {
                            if (changed > 0) {
                                log.info("subscription jobs: {} subscriptions changed", changed);
                            }
                        },
                        e -> log.warn(
                                "subscription jobs failed; next run in {}",
                                props.jobs().interval(),
                                e));
    }

    private Mono<Long> run(
            String condition, Instant at, BiFunction<Subscription, Instant, List<SubscriptionEvent>> decide) {
        int limit = props.jobs().batchSize();
        return batch(condition, at, limit, decide)
                .expand(n -> n == limit ? batch(condition, at, limit, decide) : Mono.empty())
                .reduce(0L, Long::sum);
    }

    private Mono<Long> batch(
            String condition,
            Instant at,
            int limit,
            BiFunction<Subscription, Instant, List<SubscriptionEvent>> decide) {
        return tx.transactional(repository
                .claim(condition, at, limit)
                .concatMap(s -> subscriptions
                        .apply(s, x -> decide.apply(x, at))
                        .onErrorResume(IllegalTransitionException.class, e -> {
                            log.warn("job skipped subscription {}: {}", s.id(), e.getMessage());
                            return Mono.empty();
                        }))
                .count());
    }
}
