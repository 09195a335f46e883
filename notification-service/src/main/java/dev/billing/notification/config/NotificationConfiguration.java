package dev.billing.notification.config;

import dev.billing.notification.mail.domain.RetrySchedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Settings, the scheduler for the sender, and the topics this service reads (it publishes none). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NotificationProperties.class)
@EnableScheduling
class NotificationConfiguration {

    /**
     * What it consumes. auth-service does not declare its topics, so this service creates them
     * (and, like every consumer, the dead-letter topics it writes) when they are missing.
     */
    static final List<String> CONSUMED = List.of(
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
            "refund-issued");

    /** Topics carrying a raw token or code: kept one day only (contracts/README.md). */
    static final Set<String> SECRET =
            Set.of("email-verification-requested", "password-reset-requested", "login-code-requested");

    static final Duration SECRET_RETENTION = Duration.ofDays(1);

    @Bean
    KafkaAdmin.NewTopics notificationTopics(NotificationProperties props) {
        int partitions = props.topics().partitions();
        int replicas = props.topics().replicas();
        List<NewTopic> topics = new ArrayList<>();
        for (String name : CONSUMED) {
            for (String topic : List.of(name, name + "-dlt")) {
                TopicBuilder builder =
                        TopicBuilder.name(topic).partitions(partitions).replicas(replicas);
                if (SECRET.contains(name)) {
                    builder.config(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(SECRET_RETENTION.toMillis()));
                }
                topics.add(builder.build());
            }
        }
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    @Bean
    RetrySchedule retrySchedule(NotificationProperties props) {
        var s = props.sending();
        return new RetrySchedule(s.initialBackoff(), s.maxBackoff(), s.maxAttempts());
    }
}
