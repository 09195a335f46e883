package dev.billing.plan.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;

import dev.billing.plan.PlanIT;
import dev.billing.platform.test.TestInfrastructure;
import dev.billing.platform.test.TopicReader;
import dev.billing.platform.test.contracts.EventSchemas;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every change writes its events to the outbox in its transaction; they match the contracts and reach Kafka. */
class PlanEventsIT extends PlanIT {

    @Test
    void createPriceChangeAndArchivePublishTheFullStateWithAGrowingVersion() {
        String code = uniqueCode();
        UUID id = id(create(code));
        send(PATCH, PLANS + "/" + id, Map.of("amount", 2499, "name", "Premium 2"), admin)
                .expectStatus()
                .isOk();
        send(DELETE, PLANS + "/" + id, null, admin).expectStatus().isNoContent();
        send(DELETE, PLANS + "/" + id, null, admin).expectStatus().isNoContent();

        List<JsonNode> published = outboxEvents("plan-published", id);
        assertThat(published).hasSize(3);
        assertThat(published)
                .extracting(e -> e.get("aggregateversion").asLong())
                .containsExactly(1L, 2L, 3L);
        assertThat(published).allSatisfy(e -> {
            assertThat(e.get("subject").asString()).isEqualTo(id.toString());
            assertThat(e.get("source").asString()).isEqualTo("plan-service");
            assertThat(e.get("data").get("code").asString()).isEqualTo(code);
        });
        JsonNode created = published.get(0).get("data");
        assertThat(created.get("amount").asLong()).isEqualTo(1999);
        assertThat(created.get("priceVersion").asInt()).isEqualTo(1);
        assertThat(created.get("trialDays").asInt()).isEqualTo(7);
        assertThat(created.get("features").get("screens").asInt()).isEqualTo(4);
        assertThat(created.get("status").asString()).isEqualTo("ACTIVE");
        JsonNode repriced = published.get(1).get("data");
        assertThat(repriced.get("amount").asLong()).isEqualTo(2499);
        assertThat(repriced.get("priceVersion").asInt()).isEqualTo(2);
        assertThat(repriced.get("name").asString()).isEqualTo("Premium 2");
        assertThat(published.get(2).get("data").get("status").asString()).isEqualTo("ARCHIVED");

        List<JsonNode> archived = outboxEvents("plan-archived", id);
        assertThat(archived).singleElement().satisfies(e -> {
            assertThat(e.get("aggregateversion").asLong()).isEqualTo(3);
            assertThat(e.get("data").get("code").asString()).isEqualTo(code);
            assertThat(e.get("data").get("archivedAt").asString()).endsWith("Z");
        });
    }

    @Test
    void aRefusedChangeWritesNoEvent() {
        String code = uniqueCode();
        UUID id = id(create(code));
        send(POST, PLANS, planBody(code), admin).expectStatus().isEqualTo(409);
        send(PATCH, PLANS + "/" + id, Map.of("amount", -1), admin)
                .expectStatus()
                .isBadRequest();
        send(PATCH, PLANS + "/" + id, Map.of("code", uniqueCode()), admin)
                .expectStatus()
                .isEqualTo(409);
        assertThat(outboxEvents("plan-published", id)).hasSize(1);
        Long rows = db.sql("SELECT count(*) FROM outbox WHERE payload LIKE :code")
                .bind("code", "%\"" + code + "\"%")
                .map(row -> row.get(0, Long.class))
                .one()
                .block(Duration.ofSeconds(10));
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void theEventsReachKafkaKeyedByPlanId() {
        UUID id = id(create(uniqueCode()));
        send(DELETE, PLANS + "/" + id, null, admin).expectStatus().isNoContent();

        List<ConsumerRecord<String, String>> published = ofPlan(
                TopicReader.readUntil(
                        "plan-published", records -> ofPlan(records, id).size() >= 2, Duration.ofSeconds(30)),
                id);
        assertThat(published).hasSize(2);
        published.forEach(r -> EventSchemas.assertValid(r.value()));
        assertThat(JSON.readTree(published.get(1).value())
                        .get("data")
                        .get("status")
                        .asString())
                .isEqualTo("ARCHIVED");

        List<ConsumerRecord<String, String>> archived = ofPlan(
                TopicReader.readUntil(
                        "plan-archived", records -> !ofPlan(records, id).isEmpty(), Duration.ofSeconds(30)),
                id);
        assertThat(archived).hasSize(1);
        EventSchemas.assertValid(archived.getFirst().value());
    }

    @Test
    void theTopicsExistAndPlanPublishedIsCompacted() throws Exception {
        try (Admin kafka =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka()))) {
            assertThat(kafka.listTopics().names().get())
                    .contains("plan-published", "plan-published-dlt", "plan-archived", "plan-archived-dlt");
            assertThat(cleanupPolicy(kafka, "plan-published")).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
            assertThat(cleanupPolicy(kafka, "plan-archived")).isEqualTo(TopicConfig.CLEANUP_POLICY_DELETE);
        }
    }

    private static String cleanupPolicy(Admin kafka, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = kafka.describeConfigs(List.of(resource)).all().get().get(resource);
        return config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
    }

    private static List<ConsumerRecord<String, String>> ofPlan(List<ConsumerRecord<String, String>> records, UUID id) {
        return records.stream().filter(r -> id.toString().equals(r.key())).toList();
    }
}
