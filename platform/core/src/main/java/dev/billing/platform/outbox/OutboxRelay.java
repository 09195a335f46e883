package dev.billing.platform.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes unsent outbox rows to Kafka and marks them sent. Each pass claims a batch with
 * {@code FOR UPDATE SKIP LOCKED} inside one transaction, so several replicas relay side by side
 * without publishing the same row twice in steady state; a crash before the commit releases the
 * rows and the next pass publishes them again (at least once). A row whose send fails is retried
 * with exponential backoff, and later rows of the same topic and key wait for it, to keep one
 * aggregate's events in order.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private static final String CLAIM = """
            SELECT o.id, o.topic, o.msg_key, o.payload, o.attempts
              FROM outbox o
             WHERE o.sent_at IS NULL
               AND o.next_attempt_at <= :now
               AND NOT EXISTS (SELECT 1 FROM outbox p
                                WHERE p.sent_at IS NULL AND p.topic = o.topic AND p.msg_key = o.msg_key
                                  AND p.seq < o.seq AND p.next_attempt_at > :now)
             ORDER BY o.seq
             LIMIT :limit
               FOR UPDATE SKIP LOCKED
            """;

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final KafkaTemplate<String, String> kafka;
    private final OutboxProperties props;
    private final Clock clock;
    private final Sinks.Many<Boolean> wakeUps = Sinks.many().multicast().directBestEffort();
    private final AtomicBoolean nudged = new AtomicBoolean();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestAgeMillis = new AtomicLong();
    private final Counter published;
    private final Counter failures;
    private volatile Disposable loop;

    public OutboxRelay(
            DatabaseClient db,
            TransactionalOperator tx,
            KafkaTemplate<String, String> kafka,
            OutboxProperties props,
            Clock clock,
            MeterRegistry meters) {
        this.db = db;
        this.tx = tx;
        this.kafka = kafka;
        this.props = props;
        this.clock = clock;
        this.published = Counter.builder("outbox.published")
                .description("events published to Kafka")
                .register(meters);
        this.failures = Counter.builder("outbox.publish.failures")
                .description("failed publish attempts (retried)")
                .register(meters);
        Gauge.builder("outbox.pending", pending, AtomicLong::get)
                .description("outbox rows not yet published")
                .register(meters);
        Gauge.builder("outbox.oldest.age", oldestAgeMillis, a -> a.get() / 1000.0)
                .description("age in seconds of the oldest unpublished row (relay lag)")
                .baseUnit("seconds")
                .register(meters);
    }

    /** Wakes the relay up (called after a commit that wrote events). */
    public void nudge() {
        nudged.set(true);
        wakeUps.tryEmitNext(Boolean.TRUE);
    }

    /** One pass: claim, publish, mark. Emits how many rows were published. */
    public Mono<Integer> relayOnce() {
        return tx.transactional(Mono.defer(() -> {
            Instant now = clock.instant();
            return db.sql(CLAIM)
                    .bind("now", now)
                    .bind("limit", props.batchSize())
                    .map((row, meta) -> new Claimed(
                            row.get("id", UUID.class),
                            row.get("topic", String.class),
                            row.get("msg_key", String.class),
                            row.get("payload", String.class),
                            row.get("attempts", Integer.class)))
                    .all()
                    .collectList()
                    .flatMap(this::publish);
        }));
    }

    private Mono<Integer> publish(List<Claimed> rows) {
        if (rows.isEmpty()) {
            return Mono.just(0);
        }
        // All sends are started in claim order from one thread (the producer keeps that order per
        // partition and batches them; send() may block on metadata, hence boundedElastic), then
        // the outcome of each is awaited and written back.
        return Mono.fromCallable(() ->
                        rows.stream().map(row -> new Sending(row, send(row))).toList())
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(Flux::fromIterable)
                .concatMap(sending -> Mono.fromFuture(sending.result())
                        .timeout(props.sendTimeout())
                        .thenReturn(new Outcome(sending.row(), null))
                        .onErrorResume(e -> Mono.just(new Outcome(sending.row(), e))))
                .collectList()
                .flatMap(outcomes -> {
                    Instant now = clock.instant();
                    UUID[] sent = outcomes.stream()
                            .filter(o -> o.error() == null)
                            .map(o -> o.row().id())
                            .toArray(UUID[]::new);
                    Mono<Void> markSent = sent.length == 0
                            ? Mono.empty()
                            : db.sql("UPDATE outbox SET sent_at = :now WHERE id = ANY(:ids)")
                                    .bind("now", now)
                                    .bind("ids", sent)
                                    .then();
                    Mono<Void> markFailed = Flux.fromIterable(outcomes)
                            .filter(o -> o.error() != null)
                            .concatMap(o -> markFailed(o, now))
                            .then();
                    published.increment(sent.length);
                    return markSent.then(markFailed).thenReturn(sent.length);
                });
    }

    private CompletableFuture<?> send(Claimed row) {
        var record = new ProducerRecord<String, String>(row.topic(), null, row.key(), row.payload());
        record.headers().add(new RecordHeader("content-type", bytes("application/cloudevents+json")));
        record.headers().add(new RecordHeader("ce_id", bytes(row.id().toString())));
        record.headers().add(new RecordHeader("ce_type", bytes(row.topic())));
        try {
            return kafka.send(record);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Mono<Void> markFailed(Outcome outcome, Instant now) {
        failures.increment();
        int attempts = outcome.row().attempts() + 1;
        Duration backoff = props.backoff(attempts);
        log.warn(
                "outbox: publishing event {} to {} failed (attempt {}), retrying in {}: {}",
                outcome.row().id(),
                outcome.row().topic(),
                attempts,
                backoff,
                outcome.error().toString());
        return db.sql("UPDATE outbox SET attempts = :attempts, next_attempt_at = :next, last_error = :error"
                        + " WHERE id = :id")
                .bind("attempts", attempts)
                .bind("next", now.plus(backoff))
                .bind("error", String.valueOf(outcome.error().getMessage()))
                .bind("id", outcome.row().id())
                .then();
    }

    /** Refreshes the lag gauges. */
    public Mono<Void> measure() {
        return db.sql("SELECT count(*) AS pending, min(created_at) AS oldest FROM outbox WHERE sent_at IS NULL")
                .map((row, meta) -> {
                    pending.set(row.get("pending", Long.class));
                    Instant oldest = row.get("oldest", Instant.class);
                    oldestAgeMillis.set(
                            oldest == null
                                    ? 0
                                    : Math.max(
                                            0,
                                            Duration.between(oldest, clock.instant())
                                                    .toMillis()));
                    return 1;
                })
                .one()
                .then();
    }

    /** Deletes rows sent longer ago than the retention. */
    public Mono<Long> purge() {
        return db.sql("DELETE FROM outbox WHERE sent_at < :cutoff")
                .bind("cutoff", clock.instant().minus(props.retention()))
                .fetch()
                .rowsUpdated();
    }

    private Mono<Void> cycle() {
        return relayOnce()
                .onErrorResume(e -> {
                    log.warn("outbox: relay pass failed, will retry: {}", e.toString());
                    return Mono.just(0);
                })
                .flatMap(count -> {
                    if (count >= props.batchSize() || nudged.getAndSet(false)) {
                        return Mono.empty(); // more work is waiting: go again at once
                    }
                    return Mono.firstWithValue(
                                    Mono.delay(props.pollInterval()).thenReturn(Boolean.FALSE),
                                    wakeUps.asFlux().next(),
                                    // a nudge that came after the check above but before wakeUps had
                                    // a subscriber was dropped by the sink: it must not wait a poll.
                                    // never(), not an empty Mono: firstWithValue records a
                                    // NoSuchElementException (stack trace and all) per empty source
                                    Mono.defer(() -> nudged.get() ? Mono.just(Boolean.TRUE) : Mono.never()))
                            .then(Mono.fromRunnable(() -> nudged.set(false)));
                })
                .then();
    }

    @Override
    public void start() {
        Disposable relay = cycle().repeat().subscribe();
        Disposable housekeeping = Flux.interval(Duration.ZERO, Duration.ofSeconds(5))
                .concatMap(tick -> measure()
                        .then(tick % 720 == 0 ? purge().then() : Mono.empty())
                        .onErrorResume(e -> Mono.empty()))
                .subscribe();
        loop = () -> {
            relay.dispose();
            housekeeping.dispose();
        };
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

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private record Claimed(UUID id, String topic, String key, String payload, int attempts) {}

    private record Sending(Claimed row, CompletableFuture<?> result) {}

    private record Outcome(Claimed row, Throwable error) {}
}
