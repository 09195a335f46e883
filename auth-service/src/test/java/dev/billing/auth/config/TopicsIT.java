package dev.billing.auth.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.auth.AuthIT;
import dev.billing.platform.test.TestInfrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * auth-service declares the topics it publishes with their partition count and, for those
 * carrying a token or code, one day's retention, whoever else is up (the test broker would create
 * a topic on first send with one partition and a week's retention).
 */
class TopicsIT extends AuthIT {

    @Test
    void declaresEveryTopicItPublishesWithThreePartitionsAndShortRetentionForSecrets() throws Exception {
        try (AdminClient admin =
                AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka()))) {
            var topics = admin.describeTopics(AuthConfiguration.PRODUCED)
                    .allTopicNames()
                    .get();
            assertThat(topics.keySet())
                    .containsExactlyInAnyOrder(
                            "user-registered",
                            "email-verification-requested",
                            "password-reset-requested",
                            "login-code-requested",
                            "user-deactivated");
            topics.values().forEach(t -> assertThat(t.partitions()).as(t.name()).hasSize(3));

            String oneDay = String.valueOf(Duration.ofDays(1).toMillis());
            var secrets = List.of("email-verification-requested", "password-reset-requested", "login-code-requested");
            for (String topic : AuthConfiguration.PRODUCED) {
                var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                String retention = admin.describeConfigs(List.of(resource))
                        .all()
                        .get()
                        .get(resource)
                        .get(TopicConfig.RETENTION_MS_CONFIG)
                        .value();
                if (secrets.contains(topic)) {
                    assertThat(retention).as(topic).isEqualTo(oneDay);
                } else {
                    assertThat(retention).as(topic).isNotEqualTo(oneDay);
                }
            }
        }
    }
}
