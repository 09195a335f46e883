package dev.billing.plan.config;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;

/**
 * The catalog's wiring. Reads of the catalog are public ({@code platform.security.public-paths});
 * changes need the ADMIN role, checked per method ({@code @PreAuthorize}) because the platform
 * opens public paths for every HTTP method.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PlanProperties.class)
@EnableReactiveMethodSecurity
@EnableScheduling
class PlanConfiguration {

    static final String PLAN_PUBLISHED = "plan-published";
    static final String PLAN_ARCHIVED = "plan-archived";
    static final String DLT = "-dlt";

    /** The last message per plan is its current state: a new consumer rebuilds its read model from it. */
    @Bean
    NewTopic planPublishedTopic(PlanProperties props) {
        return TopicBuilder.name(PLAN_PUBLISHED)
                .partitions(props.topics().partitions())
                .replicas(props.topics().replicas())
                .compact()
                .build();
    }

    @Bean
    NewTopic planPublishedDeadLetterTopic(PlanProperties props) {
        return topic(PLAN_PUBLISHED + DLT, props);
    }

    @Bean
    NewTopic planArchivedTopic(PlanProperties props) {
        return topic(PLAN_ARCHIVED, props);
    }

    @Bean
    NewTopic planArchivedDeadLetterTopic(PlanProperties props) {
        return topic(PLAN_ARCHIVED + DLT, props);
    }

    private static NewTopic topic(String name, PlanProperties props) {
        return TopicBuilder.name(name)
                .partitions(props.topics().partitions())
                .replicas(props.topics().replicas())
                .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)
                .build();
    }
}
