package dev.billing.platform.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.billing.platform.event.EventCodec;
import dev.billing.platform.event.OutboundEvent;
import dev.billing.platform.outbox.Outbox;
import dev.billing.platform.outbox.OutboxProperties;
import dev.billing.platform.outbox.OutboxRelay;
import dev.billing.platform.test.IntegrationTest;
import dev.billing.platform.test.TestClock;
import dev.billing.platform.test.TopicReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.SendResult;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The outbox guarantees, against real Postgres and a real Kafka broker. */
@IntegrationTest
class OutboxIT {

    @Autowired
    Outbox outbox;

    @Autowired
    DatabaseClient db;

    @Autowired
    TransactionalOperator tx;

    @Autowired
    KafkaTemplate<String, String> kafka;

    @Autowired
    ProducerFactory<String, String> producers;

    @Autowired
    TestClock clock;

    @Autowired
    EventCodec codec;

    private final OutboxProperties props = new OutboxProperties(
            false,
            Duration.ofMillis(50),
            50,
            Duration.ofSeconds(5),
            Duration.ofMillis(200),
            Duration.ofSeconds(5),
            Duration.ofDays(7));

    record Payload(String value) {}

    private OutboxRelay relay(KafkaTemplate<String, String> template) {
        return new OutboxRelay(db, tx, template, props, clock, new SimpleMeterRegistry());
    }

    private Mono<UUID> commit(String topic, String key, String value) {
        return tx.transactional(outbox.record(OutboundEvent.of(topic, key, 1, new Payload(value))))
                .map(e -> e.id());
    }

    /** Relays until the table holds nothing due, the way the relay's own loop does. */
    private void drain(OutboxRelay relay) {
        Mono.defer(relay::relayOnce).repeat(() -> true).takeUntil(n -> n == 0).blockLast(Duration.ofSeconds(30));
    }

    private static List<String> ids(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> header(r, "ce_id")).toList();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value());
    }

    @Test
    void recordingOutsideATransactionIsRefused() {
        StepVerifier.create(outbox.record(OutboundEvent.of("it-outbox-none", "k", 1, new Payload("x"))))
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("inside the transaction"))
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void severalEventsRecordedTogetherArePublishedOnceEachInTheOrderGiven() {
        String topic = "it-outbox-many-" + UUID.randomUUID();
        String other = "it-outbox-many-other-" + UUID.randomUUID();
        List<OutboundEvent> events = List.of(
                OutboundEvent.of(topic, "agg", 1, new Payload("first")),
                OutboundEvent.of(other, "agg", 1, new Payload("elsewhere")),
                OutboundEvent.of(topic, "agg", 2, new Payload("second")),
                OutboundEvent.of(topic, "agg", 3, new Payload("third")));
        var written = tx.transactional(outbox.record(events)).block(Duration.ofSeconds(10));
        assertThat(written).hasSize(4).extracting(e -> e.type()).containsExactly(topic, other, topic, topic);
        assertThat(written).extracting(e -> e.id()).doesNotHaveDuplicates();

        drain(relay(kafka));

        var records = TopicReader.readUntil(topic, read -> read.size() >= 3, Duration.ofSeconds(20));
        assertThat(records).extracting(ConsumerRecord::value).hasSize(3);
        assertThat(records.get(0).value()).contains("first");
        assertThat(records.get(1).value()).contains("second");
        assertThat(records.get(2).value()).contains("third");
        assertThat(ids(records))
                .containsExactly(
                        written.get(0).id().toString(),
                        written.get(2).id().toString(),
                        written.get(3).id().toString());
        assertThat(TopicReader.readUntil(other, read -> !read.isEmpty(), Duration.ofSeconds(20)))
                .extracting(ConsumerRecord::value)
                .singleElement()
                .satisfies(v -> assertThat(v).contains("elsewhere"));
        assertThat(count("SELECT count(*) FROM outbox WHERE topic = '" + topic + "' AND sent_at IS NOT NULL"))
                .isEqualTo(3);
    }

    /**
     * The running relay sleeps a poll interval only when nothing woke it: with an hour's interval,
     * each of these commits, made one after another, is published within seconds, never an hour.
     */
    @Test
    void everyCommitWakesARunningRelayWithoutWaitingForItsPoll() {
        var hourly = new OutboxProperties(
                true,
                Duration.ofHours(1),
                50,
                Duration.ofSeconds(5),
                Duration.ofMillis(200),
                Duration.ofSeconds(5),
                Duration.ofDays(7));
        var relay = new OutboxRelay(db, tx, kafka, hourly, clock, new SimpleMeterRegistry());
        var nudging = new Outbox(db, codec, clock, relay::nudge);
        String topic = "it-outbox-wake-" + UUID.randomUUID();
        drain(relay(kafka)); // nothing of other tests left for the hourly relay's first pass
        relay.start();
        try {
            for (int i = 0; i < 20; i++) {
                String value = "commit-" + i;
                tx.transactional(nudging.record(OutboundEvent.of(topic, "agg", i + 1, new Payload(value))))
                        .block(Duration.ofSeconds(10));
                int expected = i + 1;
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> count("SELECT count(*) FROM outbox WHERE topic = '" + topic
                                        + "' AND sent_at IS NOT NULL")
                                == expected);
            }
        } finally {
            relay.stop();
        }
        assertThat(TopicReader.readUntil(topic, read -> read.size() >= 20, Duration.ofSeconds(20)))
                .hasSize(20);
    }

    @Test
    void eventsOfARolledBackTransactionAreNeverPublished() {
        String topic = "it-outbox-rollback-" + UUID.randomUUID();
        UUID aggregate = UUID.randomUUID();
        var failing = tx.transactional(db.sql("INSERT INTO test_effect (id, value) VALUES (:id, 'state change')")
                .bind("id", aggregate)
                .then()
                .then(outbox.record(OutboundEvent.of(topic, aggregate, 1, new Payload("rolled back"))))
                .then(Mono.error(new IllegalStateException("use case fails after recording"))));
        StepVerifier.create(failing).expectError(IllegalStateException.class).verify(Duration.ofSeconds(10));
        UUID committed = commit(topic, aggregate.toString(), "committed").block(Duration.ofSeconds(10));

        drain(relay(kafka));

        var records =
                TopicReader.readUntil(topic, read -> ids(read).contains(committed.toString()), Duration.ofSeconds(20));
        assertThat(records).extracting(ConsumerRecord::value).anyMatch(v -> v.contains("committed"));
        assertThat(records).extracting(ConsumerRecord::value).noneMatch(v -> v.contains("rolled back"));
        assertThat(count("SELECT count(*) FROM test_effect WHERE id = '" + aggregate + "'"))
                .isZero();
        assertThat(count("SELECT count(*) FROM outbox WHERE topic = '" + topic + "'"))
                .isEqualTo(1);
    }

    @Test
    void aRelayKilledAfterCommitBeforePublishLosesNothing() {
        String topic = "it-outbox-crash-" + UUID.randomUUID();
        UUID id = commit(topic, "agg-1", "survives a crash").block(Duration.ofSeconds(10));

        // A relay whose sends never complete: it has claimed the row when it is killed.
        var sending = new CompletableFuture<Void>();
        var hanging = new KafkaTemplate<>(producers) {
            @Override
            public CompletableFuture<SendResult<String, String>> send(ProducerRecord<String, String> record) {
                sending.complete(null);
                return new CompletableFuture<>();
            }
        };
        var doomed = relay(hanging)
                .relayOnce()
                .subscribeOn(Schedulers.boundedElastic())
                .subscribe();
        sending.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(count("SELECT count(*) FROM outbox WHERE id = '" + id + "' AND sent_at IS NULL"))
                .isEqualTo(1);
        doomed.dispose(); // the process dies: its transaction never commits

        // A restarted relay (or another replica) publishes it once the dead one's lock is gone.
        var restarted = relay(kafka);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            drain(restarted);
            return count("SELECT count(*) FROM outbox WHERE id = '" + id + "' AND sent_at IS NOT NULL") == 1;
        });

        var records = TopicReader.readUntil(topic, read -> ids(read).contains(id.toString()), Duration.ofSeconds(20));
        assertThat(ids(records)).contains(id.toString());
        assertThat(count("SELECT count(*) FROM outbox WHERE id = '" + id + "' AND sent_at IS NOT NULL"))
                .isEqualTo(1);
    }

    @Test
    void twoRelaysOnOneTablePublishEveryRowOnce() {
        String topic = "it-outbox-two-relays-" + UUID.randomUUID();
        int total = 400;
        List<UUID> written = Flux.range(0, total)
                .concatMap(i -> commit(topic, "agg-" + (i % 20), "event " + i))
                .collectList()
                .block(Duration.ofSeconds(60));

        var first = relay(kafka);
        var second = relay(kafka);
        AtomicInteger byFirst = new AtomicInteger();
        AtomicInteger bySecond = new AtomicInteger();
        Mono.when(
                        Mono.defer(first::relayOnce)
                                .doOnNext(byFirst::addAndGet)
                                .repeat(() -> true)
                                .takeUntil(n -> n == 0)
                                .then(),
                        Mono.defer(second::relayOnce)
                                .doOnNext(bySecond::addAndGet)
                                .repeat(() -> true)
                                .takeUntil(n -> n == 0)
                                .then())
                .block(Duration.ofSeconds(60));
        drain(first); // rows the second skipped while the first held them

        var records = TopicReader.readUntil(topic, read -> read.size() >= total, Duration.ofSeconds(30));
        Map<String, Long> perId =
                ids(records).stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(perId.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        written.stream().map(UUID::toString).toList());
        assertThat(perId.values()).allMatch(n -> n == 1);
        assertThat(byFirst.get() + bySecond.get()).isEqualTo(total);
        assertThat(count("SELECT count(*) FROM outbox WHERE topic = '" + topic + "' AND sent_at IS NULL"))
                .isZero();
    }

    @Test
    void aFailedSendIsRetriedLaterAndHoldsBackItsAggregatesLaterEvents() {
        String topic = "it-outbox-retry-" + UUID.randomUUID();
        UUID first = commit(topic, "agg-r", "first").block(Duration.ofSeconds(10));
        UUID second = commit(topic, "agg-r", "second").block(Duration.ofSeconds(10));
        UUID other = commit(topic, "agg-other", "other aggregate").block(Duration.ofSeconds(10));

        // A broker that refuses the first event once.
        AtomicInteger refusals = new AtomicInteger();
        var flaky = new KafkaTemplate<>(producers) {
            @Override
            public CompletableFuture<SendResult<String, String>> send(ProducerRecord<String, String> record) {
                if (record.value().contains("\"first\"") && refusals.getAndIncrement() == 0) {
                    return CompletableFuture.failedFuture(new IllegalStateException("broker unavailable"));
                }
                return super.send(record);
            }
        };
        var relay = relay(flaky);
        // First pass: "first" fails; "second" (same aggregate) was claimed in the same pass and went out.
        // To show the hold-back rule we look at the next pass before the backoff ends.
        relay.relayOnce().block(Duration.ofSeconds(10));
        assertThat(count("SELECT attempts FROM outbox WHERE id = '" + first + "'"))
                .isEqualTo(1);
        UUID third = commit(topic, "agg-r", "third").block(Duration.ofSeconds(10));
        assertThat(relay.relayOnce().block(Duration.ofSeconds(10))).isZero(); // "third" waits behind "first"
        assertThat(count("SELECT count(*) FROM outbox WHERE id = '" + third + "' AND sent_at IS NULL"))
                .isEqualTo(1);

        clock.advance(Duration.ofSeconds(1)); // past the backoff
        drain(relay);
        assertThat(count("SELECT count(*) FROM outbox WHERE topic = '" + topic + "' AND sent_at IS NULL"))
                .isZero();
        var records = TopicReader.readUntil(topic, read -> read.size() >= 4, Duration.ofSeconds(20));
        assertThat(ids(records)).contains(first.toString(), second.toString(), other.toString(), third.toString());
        List<String> aggR = records.stream()
                .filter(r -> "agg-r".equals(r.key()))
                .map(r -> header(r, "ce_id"))
                .toList();
        assertThat(aggR.indexOf(first.toString())).isLessThan(aggR.indexOf(third.toString()));
    }

    private long count(String sql) {
        return db.sql(sql)
                .map((row, meta) -> ((Number) row.get(0)).longValue())
                .one()
                .block(Duration.ofSeconds(10));
    }
}
