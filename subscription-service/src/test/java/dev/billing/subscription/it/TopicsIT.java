package dev.billing.subscription.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.platform.test.TestInfrastructure;
import dev.billing.platform.test.TopicReader;
import dev.billing.platform.test.contracts.EventSchemas;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** Topics created at start, events really published by the relay, poison messages dead-lettered. */
class TopicsIT extends SubscriptionIT {

    @Test
    void createsWhatItProducesWithDeadLetterTopicsAndACompactedEntitlementsTopic() throws Exception {
        try (AdminClient admin =
                AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka()))) {
            Set<String> names = admin.listTopics().names().get();
            assertThat(names)
                    .contains(
                            "subscription-created",
                            "subscription-created-dlt",
                            "subscription-expired",
                            "subscription-resumed",
                            "subscription-resumed-dlt",
                            "entitlements-changed",
                            "entitlements-changed-dlt",
                            "payment-succeeded-dlt",
                            "plan-published-dlt");
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, "entitlements-changed");
            var config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
        }
    }

    @Test
    void producedEventsReachKafkaKeyedByTheAggregate() {
        Plan plan = givenPlan(999, 0, 1);
        User user = newUser();
        UUID id = id(subscribe(user, plan.id()));
        List<ConsumerRecord<String, String>> created = TopicReader.readUntil(
                "subscription-created",
                read -> read.stream().anyMatch(r -> r.key().equals(id.toString())),
                WAIT);
        ConsumerRecord<String, String> record = created.stream()
                .filter(r -> r.key().equals(id.toString()))
                .findFirst()
                .orElseThrow();
        EventSchemas.assertValid(record.value());
        List<ConsumerRecord<String, String>> entitlements = TopicReader.readUntil(
                "entitlements-changed",
                read -> read.stream().anyMatch(r -> r.key().equals(user.id().toString())),
                WAIT);
        assertThat(entitlements).anyMatch(r -> r.key().equals(user.id().toString()));
    }

    @Test
    void aMalformedPaymentEventIsDeadLetteredAndTheNextIsProcessed() {
        Plan plan = givenPlan(999, 0, 1);
        User user = newUser();
        UUID id = id(subscribe(user, plan.id()));
        send("payment-succeeded", id, "{not an envelope");
        paymentSucceeded(id, user.id(), 3, now(), now().plus(java.time.Duration.ofDays(30)));
        awaitStatus(user, id, "ACTIVE");
        List<ConsumerRecord<String, String>> dead = TopicReader.readUntil(
                "payment-succeeded-dlt",
                read -> read.stream().anyMatch(r -> r.key().equals(id.toString())),
                WAIT);
        assertThat(dead)
                .anyMatch(r -> r.key().equals(id.toString()) && r.value().equals("{not an envelope"));
    }
}
