package dev.billing.subscription.messaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.billing.platform.inbox.InboundEvents;
import dev.billing.subscription.application.Subscriptions;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** auth-service's user-deactivated: the user's live subscriptions are canceled now. */
@Component
class UserListener {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record UserDeactivated(UUID userId) {}

    private final InboundEvents events;
    private final Subscriptions subscriptions;

    UserListener(InboundEvents events, Subscriptions subscriptions) {
        this.events = events;
        this.subscriptions = subscriptions;
    }

    @KafkaListener(topics = "user-deactivated")
    void onUserDeactivated(ConsumerRecord<String, String> record) {
        events.handle(record, UserDeactivated.class, (envelope, e) -> subscriptions.userDeactivated(e.userId()));
    }
}
