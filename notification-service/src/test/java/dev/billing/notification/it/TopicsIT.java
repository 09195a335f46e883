package dev.billing.notification.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.platform.test.TestInfrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** Every consumed topic and its dead-letter topic exist; those carrying secrets are kept one day. */
class TopicsIT extends NotificationIT {

    @Test
    void createsTheTopicsItConsumesWithDeadLetterTopicsAndShortRetentionForSecrets() throws Exception {
        try (AdminClient admin =
                AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka()))) {
            Set<String> names = admin.listTopics().names().get();
            for (String topic : List.of(
                    "user-registered",
                    "email-verification-requested",
                    "password-reset-requested",
                    "login-code-requested",
                    "user-deactivated",
                    "subscription-activated",
                    "subscription-renewed",
                    "payment-failed",
                    "subscription-canceled",
                    "subscription-expired",
                    "refund-issued")) {
                assertThat(names).contains(topic, topic + "-dlt");
            }
            String oneDay = String.valueOf(Duration.ofDays(1).toMillis());
            for (String topic : List.of("login-code-requested", "password-reset-requested-dlt")) {
                var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                var config =
                        admin.describeConfigs(List.of(resource)).all().get().get(resource);
                assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo(oneDay);
            }
            var normal = new ConfigResource(ConfigResource.Type.TOPIC, "refund-issued");
            var config = admin.describeConfigs(List.of(normal)).all().get().get(normal);
            assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value()).isNotEqualTo(oneDay);
        }
    }
}
