package dev.billing.platform.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.platform.test.IntegrationTest;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * A service that crashes leaves its consumers in the group without a goodbye; their partitions
 * go to the other members (or to the restarted service) only when the broker gives up on them.
 * With Kafka's default session timeout that was 45 s of nobody reading, e.g. no checkout for a
 * new subscription; the platform's consumers set 10 s.
 */
@IntegrationTest
class ConsumerFailoverIT {

    private static final String TOPIC = "it-failover";

    @Autowired
    ConsumerFactory<String, String> consumers;

    @Autowired
    KafkaAdmin admin;

    private static Duration untilAssigned(Consumer<String, String> consumer, Duration limit) {
        long start = System.nanoTime();
        Duration waited = Duration.ZERO;
        while (consumer.assignment().isEmpty() && waited.compareTo(limit) < 0) {
            consumer.poll(Duration.ofMillis(200));
            waited = Duration.ofNanos(System.nanoTime() - start);
        }
        return waited;
    }

    @Test
    void theTopicOfAConsumerThatDiedWithoutLeavingIsReadAgainWithinTheSessionTimeout() {
        admin.createOrModifyTopics(TopicBuilder.name(TOPIC).partitions(1).build());
        String group = "it-failover-" + System.nanoTime();

        Consumer<String, String> crashed = consumers.createConsumer(group, "crashed");
        crashed.subscribe(List.of(TOPIC));
        untilAssigned(crashed, Duration.ofSeconds(30));
        assertThat(crashed.assignment()).as("the first member reads the topic").isNotEmpty();
        // as a killed process would: no LeaveGroup, the broker finds out when heartbeats stop
        crashed.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));

        try (Consumer<String, String> successor = consumers.createConsumer(group, "successor")) {
            successor.subscribe(List.of(TOPIC));
            Duration waited = untilAssigned(successor, Duration.ofSeconds(40));
            System.out.printf(
                    "consumer-failover: the partition of a consumer that died was reassigned after %d ms%n",
                    waited.toMillis());
            assertThat(successor.assignment())
                    .as("the successor reads the topic")
                    .isNotEmpty();
            // Kafka's default (45 s) would not get here within 25 s
            assertThat(waited).isLessThan(Duration.ofSeconds(25));
        }
    }
}
