package dev.billing.payment.config;

import dev.billing.payment.billing.domain.DunningSchedule;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties({PaymentProperties.class, ReconcilerProperties.class})
class PaymentConfiguration {

    /** The topics this service produces, each with its dead-letter topic. */
    static final List<String> PRODUCED = List.of(
            "checkout-session-created",
            "checkout-completed",
            "payment-succeeded",
            "payment-failed",
            "refund-issued",
            "provider-subscription-canceled");

    @Bean
    DunningSchedule dunningSchedule(PaymentProperties props) {
        return new DunningSchedule(props.dunning().retryDelays());
    }

    @Bean
    KafkaAdmin.NewTopics producedTopics() {
        return new KafkaAdmin.NewTopics(PRODUCED.stream()
                .flatMap(t -> java.util.stream.Stream.of(t, t + "-dlt"))
                .map(t -> TopicBuilder.name(t).partitions(3).build())
                .toArray(NewTopic[]::new));
    }
}
