package dev.billing.subscription.plan;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.billing.platform.inbox.InboundEvents;
import dev.billing.subscription.domain.BillingInterval;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Feeds the plan read model from plan-service's events (never calls plan-service). */
@Component
class PlanListener {

    /** The fields of plan-published this service reads (others are ignored). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PlanPublished(
            UUID id,
            String code,
            String name,
            long amount,
            String currency,
            int priceVersion,
            BillingInterval interval,
            int intervalCount,
            int trialDays,
            Map<String, Object> features,
            int tier,
            String status) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PlanArchived(UUID id, String code) {}

    private final InboundEvents events;
    private final PlanCatalog catalog;
    private final Clock clock;

    PlanListener(InboundEvents events, PlanCatalog catalog, Clock clock) {
        this.events = events;
        this.catalog = catalog;
        this.clock = clock;
    }

    @KafkaListener(topics = "plan-published")
    void onPublished(ConsumerRecord<String, String> record) {
        events.handle(record, PlanPublished.class, (envelope, p) -> catalog.published(
                        new CatalogPlan(
                                p.id(),
                                p.code(),
                                p.name(),
                                p.amount(),
                                p.currency(),
                                p.priceVersion(),
                                p.interval(),
                                p.intervalCount(),
                                p.trialDays(),
                                p.features(),
                                p.tier(),
                                p.status()),
                        envelope.aggregateversion(),
                        clock.instant())
                .then());
    }

    @KafkaListener(topics = "plan-archived")
    void onArchived(ConsumerRecord<String, String> record) {
        events.handle(record, PlanArchived.class, (envelope, p) -> catalog.archived(
                        p.id(), p.code(), envelope.aggregateversion(), clock.instant())
                .then());
    }
}
