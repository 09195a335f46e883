package dev.billing.platform.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.billing.platform.test.IntegrationTest;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Services start in any order: a listener may subscribe before the service that owns the topic
 * has declared it. Were the listener to create the topic (with the broker's default partition
 * count) and the owner then raise it to the declared count, the listener would not read the new
 * partitions until its next metadata refresh, five minutes by default: a subscription created in
 * that window waited minutes for its checkout. Listeners therefore never create topics, and look
 * for added partitions every 30 s.
 */
@IntegrationTest
class TopicDiscoveryIT {

    @Autowired
    KafkaAdmin admin;

    @Autowired
    KafkaTemplate<String, String> kafka;

    private boolean exists(String topic) throws ExecutionException, InterruptedException {
        try (var client = AdminClient.create(admin.getConfigurationProperties())) {
            return client.listTopics().names().get().contains(topic);
        }
    }

    private void sendTo(String topic, int partition, String value) {
        kafka.send(new ProducerRecord<>(topic, partition, "key", value)).join();
    }

    @Test
    void aListenerCreatesNoTopicAndReadsEveryPartitionOnceTheOwnerDeclaresIt() {
        // the listener has been polling for its topic since the context started
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .until(() -> !exists(TestListeners.LATE_TOPIC));

        admin.createOrModifyTopics(
                TopicBuilder.name(TestListeners.LATE_TOPIC).partitions(3).build());
        long declared = System.nanoTime();
        for (int p = 0; p < 3; p++) {
            sendTo(TestListeners.LATE_TOPIC, p, "late-" + p);
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(TestListeners.late)
                .containsExactlyInAnyOrder("0:late-0", "1:late-1", "2:late-2"));
        System.out.printf(
                "topic-discovery: a topic declared after its listener started was read on all 3 partitions"
                        + " %d ms after it was declared%n",
                Duration.ofNanos(System.nanoTime() - declared).toMillis());
    }

    @Test
    void partitionsAddedToATopicBeingReadAreReadWithinAMetadataRefresh() {
        admin.createOrModifyTopics(
                TopicBuilder.name(TestListeners.GROWING_TOPIC).partitions(1).build());
        sendTo(TestListeners.GROWING_TOPIC, 0, "first");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(TestListeners.growing).containsExactly("0:first"));

        admin.createOrModifyTopics(
                TopicBuilder.name(TestListeners.GROWING_TOPIC).partitions(3).build());
        long grown = System.nanoTime();
        sendTo(TestListeners.GROWING_TOPIC, 1, "second");
        sendTo(TestListeners.GROWING_TOPIC, 2, "third");

        // the consumer's metadata.max.age.ms is 30 s (Kafka's default, 5 min, would fail this)
        await().atMost(Duration.ofSeconds(75)).untilAsserted(() -> assertThat(TestListeners.growing)
                .containsExactlyInAnyOrder("0:first", "1:second", "2:third"));
        System.out.printf(
                "topic-discovery: partitions added to a topic being read were read %d ms after they were added%n",
                Duration.ofNanos(System.nanoTime() - grown).toMillis());
    }
}
