package dev.billing.payment.billing.messaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.billing.payment.billing.application.Subscriptions;
import dev.billing.payment.billing.persistence.BillingStore.PlanState;
import dev.billing.payment.billing.persistence.BillingStore.SubscriptionState;
import dev.billing.platform.event.EventEnvelope;
import dev.billing.platform.inbox.InboundEvents;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Plan and subscription events in: the local read models, and checkouts for new subscriptions. */
@Component
class SubscriptionListener {

    /** The fields of plan-published this service reads. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PlanPublished(
            UUID id,
            String name,
            long amount,
            String currency,
            int priceVersion,
            String interval,
            int intervalCount,
            String status) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PlanArchived(UUID id) {}

    /** The fields of subscription-created / -plan-changed / -canceled / -resumed this service reads. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record SubscriptionData(
            UUID subscriptionId,
            UUID userId,
            UUID planId,
            String planName,
            String status,
            Instant currentPeriodStart,
            Instant currentPeriodEnd,
            boolean cancelAtPeriodEnd,
            Integer priceVersion,
            Long amount,
            String currency,
            String interval,
            Integer intervalCount,
            String userEmail,
            Boolean proration,
            Long prorationCredit,
            Long prorationCharge,
            Instant effectiveAt) {

        Subscriptions.Proration prorationOf() {
            return new Subscriptions.Proration(
                    Boolean.TRUE.equals(proration),
                    prorationCredit == null ? 0 : prorationCredit,
                    prorationCharge == null ? 0 : prorationCharge,
                    effectiveAt);
        }

        /** The state only: -canceled and -resumed carry no price, the one held is kept. */
        SubscriptionData withoutPrice() {
            return new SubscriptionData(
                    subscriptionId,
                    userId,
                    planId,
                    planName,
                    status,
                    currentPeriodStart,
                    currentPeriodEnd,
                    cancelAtPeriodEnd,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
        }

        SubscriptionState state(EventEnvelope envelope) {
            return new SubscriptionState(
                    subscriptionId,
                    userId,
                    planId,
                    planName,
                    priceVersion == null ? 0 : priceVersion,
                    amount,
                    currency,
                    interval,
                    intervalCount,
                    status,
                    currentPeriodStart,
                    currentPeriodEnd,
                    cancelAtPeriodEnd,
                    envelope.aggregateversion());
        }
    }

    private final InboundEvents events;
    private final Subscriptions subscriptions;

    SubscriptionListener(InboundEvents events, Subscriptions subscriptions) {
        this.events = events;
        this.subscriptions = subscriptions;
    }

    @KafkaListener(topics = "plan-published")
    void planPublished(ConsumerRecord<String, String> record) {
        events.handle(
                record,
                PlanPublished.class,
                (envelope, p) -> subscriptions.planPublished(new PlanState(
                        p.id(),
                        p.name(),
                        p.amount(),
                        p.currency(),
                        p.interval(),
                        p.intervalCount(),
                        p.priceVersion(),
                        p.status(),
                        envelope.aggregateversion())));
    }

    @KafkaListener(topics = "plan-archived")
    void planArchived(ConsumerRecord<String, String> record) {
        events.handle(record, PlanArchived.class, (envelope, p) -> subscriptions.planArchived(p.id()));
    }

    @KafkaListener(topics = "subscription-created")
    void created(ConsumerRecord<String, String> record) {
        events.handle(
                record,
                SubscriptionData.class,
                (envelope, s) -> subscriptions.created(s.state(envelope), s.userEmail()));
    }

    @KafkaListener(topics = "subscription-plan-changed")
    void planChanged(ConsumerRecord<String, String> record) {
        events.handle(
                record,
                SubscriptionData.class,
                (envelope, s) -> subscriptions.planChanged(s.state(envelope), s.prorationOf()));
    }

    @KafkaListener(topics = "subscription-canceled")
    void canceled(ConsumerRecord<String, String> record) {
        events.handle(
                record,
                SubscriptionData.class,
                (envelope, s) -> subscriptions.canceled(s.withoutPrice().state(envelope)));
    }

    /** A scheduled cancel undone: cancel_at_period_end false again, so the renewal job bills it. */
    @KafkaListener(topics = "subscription-resumed")
    void resumed(ConsumerRecord<String, String> record) {
        events.handle(
                record,
                SubscriptionData.class,
                (envelope, s) -> subscriptions.resumed(s.withoutPrice().state(envelope)));
    }
}
