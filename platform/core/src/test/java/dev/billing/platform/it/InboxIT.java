package dev.billing.platform.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.billing.platform.event.EventCodec;
import dev.billing.platform.event.EventEnvelope;
import dev.billing.platform.event.OutboundEvent;
import dev.billing.platform.test.IntegrationTest;
import dev.billing.platform.test.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.r2dbc.core.DatabaseClient;

/** Consumer guarantees: one effect per event id, and poison messages dead-lettered. */
@IntegrationTest
class InboxIT {

    @Autowired
    KafkaTemplate<String, String> kafka;

    @Autowired
    EventCodec codec;

    @Autowired
    DatabaseClient db;

    private EventEnvelope event(String value) {
        return codec.envelope(
                OutboundEvent.of(TestListeners.TOPIC, UUID.randomUUID(), 1, new TestListeners.Data(value)));
    }

    private void send(EventEnvelope envelope) {
        send(envelope.subject(), codec.toJson(envelope));
    }

    private void send(String key, String value) {
        kafka.send(new ProducerRecord<>(TestListeners.TOPIC, key, value)).join();
    }

    private long effects(String value) {
        return db.sql("SELECT count(*) FROM test_effect WHERE value = :value")
                .bind("value", value)
                .map((row, meta) -> ((Number) row.get(0)).longValue())
                .one()
                .block(Duration.ofSeconds(10));
    }

    /** Waits until a marker sent after the records under test has been applied. */
    private void awaitProcessedUpTo(String marker) {
        send(event(marker));
        await().atMost(Duration.ofSeconds(60)).until(() -> effects(marker) == 1);
    }

    @Test
    void aDuplicateDeliveryHasOneEffect() {
        String value = "duplicate-" + UUID.randomUUID();
        EventEnvelope envelope = event(value);
        send(envelope);
        send(envelope);
        send(envelope);

        awaitProcessedUpTo("marker-" + UUID.randomUUID());

        assertThat(effects(value)).isEqualTo(1);
    }

    @Test
    void aFailedAttemptLeavesNoTraceAndTheRetryAppliesOnce() {
        String value = "flaky-" + UUID.randomUUID();
        send(event(value));

        awaitProcessedUpTo("marker-" + UUID.randomUUID());

        assertThat(TestListeners.attempts.get(value).get()).isEqualTo(2);
        assertThat(effects(value)).isEqualTo(1);
    }

    @Test
    void aPoisonMessageLandsInTheDeadLetterTopicWithItsReasonAndTheNextIsProcessed() {
        String value = "poison-" + UUID.randomUUID();
        EventEnvelope poison = event(value);
        send(poison);
        String next = "after-poison-" + UUID.randomUUID();
        send(event(next));

        await().atMost(Duration.ofSeconds(60)).until(() -> effects(next) == 1);

        var dead = TopicReader.readUntil(
                TestListeners.TOPIC + "-dlt",
                read -> read.stream().anyMatch(r -> r.value().contains(value)),
                Duration.ofSeconds(30));
        ConsumerRecord<String, String> record =
                dead.stream().filter(r -> r.value().contains(value)).findFirst().orElseThrow();
        assertThat(header(record, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("cannot apply " + value);
        assertThat(header(record, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(TestListeners.TOPIC);
        assertThat(record.key()).isEqualTo(poison.subject());
        assertThat(TestListeners.attempts.get(value).get()).isEqualTo(3); // first try + 2 retries
        assertThat(effects(value)).isZero();
    }

    @Test
    void aMalformedMessageIsDeadLetteredAtOnce() {
        String garbage = "{not json " + UUID.randomUUID();
        send("some-key", garbage);
        awaitProcessedUpTo("marker-" + UUID.randomUUID());

        var dead = TopicReader.readUntil(
                TestListeners.TOPIC + "-dlt",
                read -> read.stream().anyMatch(r -> garbage.equals(r.value())),
                Duration.ofSeconds(30));
        var record =
                dead.stream().filter(r -> garbage.equals(r.value())).findFirst().orElseThrow();
        assertThat(header(record, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("not a CloudEvents envelope");
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
