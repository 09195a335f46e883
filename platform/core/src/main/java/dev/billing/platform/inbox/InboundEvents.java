package dev.billing.platform.inbox;

import dev.billing.platform.event.EventCodec;
import dev.billing.platform.event.EventEnvelope;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * What a {@code @KafkaListener} calls with each record: parse the envelope, skip an event id seen
 * before, otherwise apply the effect, both in one transaction.
 *
 * <p>The listener thread waits for the transaction to finish. That is deliberate: a Kafka consumer
 * thread is dedicated to its partitions (not a shared event loop), and processing a partition one
 * record at a time is what keeps one aggregate's events in order. Spring Kafka's async listener
 * return types run records of one partition concurrently (spring-kafka#4513). A failure is
 * thrown back to the container, whose error handler retries with backoff and then dead-letters
 * (see {@code PlatformMessagingAutoConfiguration}).
 */
public class InboundEvents {

    private static final Logger log = LoggerFactory.getLogger(InboundEvents.class);

    private final EventCodec codec;
    private final Inbox inbox;
    private final TransactionalOperator tx;
    private final Duration timeout;

    public InboundEvents(EventCodec codec, Inbox inbox, TransactionalOperator tx, Duration timeout) {
        this.codec = codec;
        this.inbox = inbox;
        this.tx = tx;
        this.timeout = timeout;
    }

    /** Processes one record exactly once in effect; returns false for a duplicate. */
    public <T> boolean handle(ConsumerRecord<String, String> record, Class<T> dataType, EventHandler<T> handler) {
        EventEnvelope envelope = codec.parse(record.value());
        T data = codec.data(envelope, dataType);
        Boolean applied = apply(envelope, data, handler).block(timeout);
        if (!Boolean.TRUE.equals(applied)) {
            log.debug("skipped duplicate event {} of type {}", envelope.id(), envelope.type());
            return false;
        }
        return true;
    }

    /** The same as a reactive step, for callers that are themselves reactive (tests, replays). */
    public <T> Mono<Boolean> apply(EventEnvelope envelope, T data, EventHandler<T> handler) {
        return tx.transactional(inbox.firstDelivery(envelope.id(), envelope.type())
                .flatMap(first -> first ? handler.apply(envelope, data).thenReturn(true) : Mono.just(false)));
    }
}
