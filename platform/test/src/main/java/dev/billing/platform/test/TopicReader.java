package dev.billing.platform.test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from its beginning, outside any consumer group, until a condition holds. */
public final class TopicReader {

    private TopicReader() {}

    /**
     * Polls {@code topic} from the start until {@code done} accepts everything read so far, or
     * the timeout passes; returns what was read either way (the caller asserts).
     */
    public static List<ConsumerRecord<String, String>> readUntil(
            String topic, Predicate<List<ConsumerRecord<String, String>>> done, Duration timeout) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafka(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class);
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        try (var consumer = new KafkaConsumer<String, String>(config)) {
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && Instant.now().isBefore(deadline)) {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(2)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!done.test(read) && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }
}
