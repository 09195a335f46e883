package dev.billing.subscription.config;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;

/** Settings, the scheduler for the jobs, and the topics this service writes to. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SubscriptionProperties.class)
@EnableScheduling
@EnableReactiveMethodSecurity
class SubscriptionConfiguration {

    /** What this service publishes (entitlements-changed is compacted: last message per user). */
    static final List<String> PRODUCED = List.of(
            "subscription-created",
            "subscription-activated",
            "subscription-renewed",
            "subscription-plan-changed",
            "subscription-past-due",
            "subscription-canceled",
            "subscription-resumed",
            "subscription-expired",
            "entitlements-changed");

    /** What it consumes: it writes their dead letters. */
    static final List<String> CONSUMED = List.of(
            "plan-published",
            "plan-archived",
            "checkout-session-created",
            "checkout-completed",
            "payment-succeeded",
            "payment-failed",
            "provider-subscription-canceled",
            "user-deactivated");

    @Bean
    KafkaAdmin.NewTopics subscriptionTopics(
            @Value("${subscription.topics.partitions:3}") int partitions,
            @Value("${subscription.topics.replicas:1}") int replicas) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : PRODUCED) {
            TopicBuilder topic = TopicBuilder.name(name).partitions(partitions).replicas(replicas);
            if (name.equals("entitlements-changed")) {
                topic.compact();
            }
            topics.add(topic.build());
            topics.add(dlt(name, partitions, replicas));
        }
        for (String name : CONSUMED) {
            topics.add(dlt(name, partitions, replicas));
        }
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    private static NewTopic dlt(String name, int partitions, int replicas) {
        return TopicBuilder.name(name + "-dlt")
                .partitions(partitions)
                .replicas(replicas)
                .build();
    }
}
