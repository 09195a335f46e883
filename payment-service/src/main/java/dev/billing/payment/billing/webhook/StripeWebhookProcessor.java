package dev.billing.payment.billing.webhook;

import dev.billing.payment.billing.application.ProviderEvents;
import dev.billing.payment.billing.domain.Times;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Applies stored Stripe events. Each event is claimed on its own ({@code FOR UPDATE SKIP LOCKED},
 * so replicas share the work) and its effect, outbox rows and PROCESSED mark commit in one
 * transaction. A failure rolls that back and counts an attempt: due again after an exponential
 * backoff, FAILED after the last attempt (kept, logged, in {@code stripe_webhook_events_failed}).
 * A new event wakes the loop at once; otherwise it polls.
 */
@Service
@EnableConfigurationProperties(WebhookProperties.class)
public class StripeWebhookProcessor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StripeWebhookProcessor.class);

    private final WebhookEventStore events;
    private final StripeEventMapper mapper;
    private final ProviderEvents providerEvents;
    private final TransactionalOperator tx;
    private final WebhookProperties props;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Sinks.Many<Boolean> wakeUps = Sinks.many().multicast().directBestEffort();
    private final AtomicBoolean nudged = new AtomicBoolean();
    private final AtomicLong failedEvents = new AtomicLong();
    private volatile Disposable loop;

    StripeWebhookProcessor(
            WebhookEventStore events,
            StripeEventMapper mapper,
            ProviderEvents providerEvents,
            TransactionalOperator tx,
            WebhookProperties props,
            Clock clock,
            MeterRegistry meters) {
        this.events = events;
        this.mapper = mapper;
        this.providerEvents = providerEvents;
        this.tx = tx;
        this.props = props;
        this.clock = clock;
        this.meters = meters;
        Gauge.builder("stripe.webhook.events.failed", failedEvents, AtomicLong::get)
                .description("Stripe events given up after the last attempt (kept for a look)")
                .register(meters);
    }

    /** A new event was stored: process it now rather than at the next poll. */
    void nudge() {
        nudged.set(true);
        wakeUps.tryEmitNext(Boolean.TRUE);
    }

    /** One pass over the due events, oldest Stripe time first; emits how many were processed. */
    public Mono<Integer> runOnce() {
        return Mono.defer(() -> events.due(Times.now(clock), props.batchSize()))
                .flatMapMany(Flux::fromIterable)
                .concatMap(this::processOne)
                .reduce(0, Integer::sum);
    }

    /**
     * Maps the event first (a Stripe fetch, if needed, runs outside any transaction), then claims
     * it and applies the effect in one transaction; empty claim = done by another replica meanwhile.
     */
    private Mono<Integer> processOne(String id) {
        Mono<Integer> attempt = events.load(id, Times.now(clock))
                .flatMap(stored -> Mono.defer(() -> mapper.map(stored.payload()))
                        .flatMap(mapped -> tx.transactional(
                                events.claim(id, Times.now(clock)).flatMap(claimed -> (mapped.isEmpty()
                                                ? Mono.just("IGNORED")
                                                : providerEvents
                                                        .apply(mapped.get())
                                                        .map(o -> o == ProviderEvents.Outcome.ALREADY_DONE
                                                                ? "NO_EFFECT"
                                                                : "APPLIED")
                                                        .defaultIfEmpty("NO_EFFECT"))
                                        .flatMap(outcome -> {
                                            if (outcome.equals("IGNORED")) {
                                                log.info(
                                                        "Stripe event {} ({}) ignored: not handled or not ours",
                                                        id,
                                                        stored.type());
                                            }
                                            count(stored.type(), outcome);
                                            return events.processed(id, outcome, Times.now(clock))
                                                    .thenReturn(1);
                                        })))));
        return attempt.onErrorResume(e -> failed(id, e).thenReturn(0));
    }

    private Mono<Void> failed(String id, Throwable error) {
        boolean hopeless = error instanceof StripeEventMapper.Unreadable;
        return events.attempts(id).flatMap(before -> {
            int attempts = before + 1;
            Instant next = hopeless || attempts >= props.maxAttempts()
                    ? null
                    : Times.now(clock).plus(props.backoff(attempts));
            String message = String.valueOf(error.getMessage());
            String reason = message.length() > 1000 ? message.substring(0, 1000) : message;
            return events.failed(id, error.getClass().getSimpleName() + ": " + reason, next)
                    .doOnNext(n -> {
                        if (next == null) {
                            failedEvents.incrementAndGet();
                            count("unknown", "FAILED");
                            log.error("Stripe event {} FAILED after {} attempt(s), kept for a look: {}", id, n, reason);
                        } else {
                            count("unknown", "RETRY");
                            log.warn("Stripe event {} failed (attempt {}), retrying at {}: {}", id, n, next, reason);
                        }
                    })
                    .then();
        });
    }

    private void count(String type, String outcome) {
        meters.counter("stripe_webhook_events_total", "type", type, "outcome", outcome)
                .increment();
    }

    private Mono<Void> cycle() {
        return runOnce()
                .onErrorResume(e -> {
                    log.warn("Stripe webhook pass failed, will retry: {}", e.toString());
                    return Mono.just(0);
                })
                .flatMap(count -> {
                    if (count >= props.batchSize() || nudged.getAndSet(false)) {
                        return Mono.empty();
                    }
                    return Mono.firstWithSignal(
                                    Mono.delay(props.pollInterval()),
                                    wakeUps.asFlux().next())
                            .then(Mono.fromRunnable(() -> nudged.set(false)));
                })
                .then();
    }

    @Override
    public void start() {
        Mono<Void> refreshFailed =
                events.countFailed().doOnNext(failedEvents::set).then();
        if (!props.processingEnabled()) {
            log.info("Stripe webhook processing disabled (payment.webhooks.processing-enabled=false)");
            loop = refreshFailed.onErrorResume(e -> Mono.empty()).subscribe();
            return;
        }
        loop = refreshFailed
                .onErrorResume(e -> Mono.empty())
                .then(cycle().repeat().then())
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable current = loop;
        if (current != null) {
            current.dispose();
            loop = null;
        }
    }

    @Override
    public boolean isRunning() {
        return loop != null;
    }
}
