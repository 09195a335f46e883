package dev.billing.platform.config;

import dev.billing.platform.event.EventCodec;
import dev.billing.platform.event.MalformedEventException;
import dev.billing.platform.inbox.InboundEvents;
import dev.billing.platform.inbox.Inbox;
import dev.billing.platform.outbox.Outbox;
import dev.billing.platform.outbox.OutboxProperties;
import dev.billing.platform.outbox.OutboxRelay;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/** Outbox, relay, inbox and listener error handling, for services that own a schema and use Kafka. */
@AutoConfiguration
@ConditionalOnClass({DatabaseClient.class, KafkaTemplate.class})
@EnableConfigurationProperties(OutboxProperties.class)
public class PlatformMessagingAutoConfiguration {

    @Bean
    Outbox outbox(DatabaseClient db, EventCodec codec, Clock clock, ObjectProvider<OutboxRelay> relay) {
        return new Outbox(db, codec, clock, () -> relay.ifAvailable(OutboxRelay::nudge));
    }

    @Bean
    @ConditionalOnProperty(name = "platform.outbox.relay-enabled", havingValue = "true", matchIfMissing = true)
    OutboxRelay outboxRelay(
            DatabaseClient db,
            TransactionalOperator tx,
            KafkaTemplate<String, String> kafka,
            OutboxProperties props,
            Clock clock,
            ObjectProvider<MeterRegistry> meters) {
        return new OutboxRelay(db, tx, kafka, props, clock, meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    Inbox inbox(DatabaseClient db, Clock clock) {
        return new Inbox(db, clock);
    }

    @Bean
    InboundEvents inboundEvents(
            EventCodec codec,
            Inbox inbox,
            TransactionalOperator tx,
            @Value("${platform.inbox.handle-timeout:30s}") Duration timeout) {
        return new InboundEvents(codec, inbox, tx, timeout);
    }

    /**
     * Listener defaults: a failing record is retried with exponential backoff, then published to
     * {@code <topic>-dlt} with the reason in the {@code kafka_dlt-exception-*} headers, and the
     * partition moves on. A malformed event is dead-lettered at once.
     */
    @Bean
    CommonErrorHandler kafkaErrorHandler(
            KafkaTemplate<?, ?> kafka,
            @Value("${platform.kafka.listener.retries:4}") int retries,
            @Value("${platform.kafka.listener.initial-backoff:200ms}") Duration initial,
            @Value("${platform.kafka.listener.max-backoff:5s}") Duration max) {
        var recoverer = new DeadLetterPublishingRecoverer(
                kafka, (record, ex) -> new TopicPartition(record.topic() + "-dlt", -1));
        var backOff = new ExponentialBackOffWithMaxRetries(retries);
        backOff.setInitialInterval(initial.toMillis());
        backOff.setMultiplier(2.0);
        backOff.setMaxInterval(max.toMillis());
        var handler = new DefaultErrorHandler(recoverer, backOff);
        handler.addNotRetryableExceptions(MalformedEventException.class);
        return handler;
    }
}
