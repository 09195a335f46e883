package dev.billing.payment.billing.messaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.billing.payment.billing.application.PaymentProvider.UpdateKind;
import dev.billing.payment.billing.application.Subscriptions;
import dev.billing.payment.billing.persistence.BillingStore.PlanState;
import dev.billing.payment.billing.persistence.BillingStore.SubscriptionState;
import dev.billing.platform.event.EventCodec;
import dev.billing.platform.event.EventEnvelope;
import dev.billing.platform.inbox.InboundEvents;
import java.time.Duration;
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

    /**
     * Bound on the provider step before an event's transaction (stripe-java's own timeouts and
     * retries end it sooner). The listener thread waits for it as {@link InboundEvents} waits for
     * the transaction: a consumer thread is dedicated to its partitions, and one record at a time
     * keeps an aggregate's events in order.
     */
    private static final Duration PROVIDER_STEP = Duration.ofMinutes(3);

    private final InboundEvents events;
    private final EventCodec codec;
    private final Subscriptions subscriptions;

    SubscriptionListener(InboundEvents events, EventCodec codec, Subscriptions subscriptions) {
        this.events = events;
        this.codec = codec;
        this.subscriptions = subscriptions;
    }

    /** Parses a record as the inbox will, for the provider step that runs before the transaction. */
    private <T> T data(ConsumerRecord<String, String> record, Class<T> type) {
        return codec.data(codec.parse(record.value()), type);
    }

    private EventEnvelope envelope(ConsumerRecord<String, String> record) {
        return codec.parse(record.value());
    }

    private static PlanState plan(EventEnvelope envelope, PlanPublished p) {
        return new PlanState(
                p.id(),
                p.name(),
                p.amount(),
                p.currency(),
                p.interval(),
                p.intervalCount(),
                p.priceVersion(),
                p.status(),
                envelope.aggregateversion());
    }

    @KafkaListener(topics = "plan-published")
    void planPublished(ConsumerRecord<String, String> record) {
        // the provider's product and price first, outside the transaction (no-op for the simulated one)
        EventEnvelope parsed = envelope(record);
        subscriptions
                .publishPrice(plan(parsed, codec.data(parsed, PlanPublished.class)))
                .block(PROVIDER_STEP);
        events.handle(record, PlanPublished.class, (envelope, p) -> subscriptions.planPublished(plan(envelope, p)));
    }

    @KafkaListener(topics = "plan-archived")
    void planArchived(ConsumerRecord<String, String> record) {
        subscriptions.archiveAtProvider(data(record, PlanArchived.class).id()).block(PROVIDER_STEP);
        events.handle(record, PlanArchived.class, (envelope, p) -> subscriptions.planArchived(p.id()));
    }

    @KafkaListener(topics = "subscription-created")
    void created(ConsumerRecord<String, String> record) {
        EventEnvelope parsed = envelope(record);
        SubscriptionData data = codec.data(parsed, SubscriptionData.class);
        // customer and checkout at the provider before the transaction; a redelivery reuses them
        Subscriptions.Prepared prepared = subscriptions
                .prepareCreated(data.state(parsed), data.userEmail())
                .block(PROVIDER_STEP);
        events.handle(
                record, SubscriptionData.class, (envelope, s) -> subscriptions.created(s.state(envelope), prepared));
    }

    @KafkaListener(topics = "subscription-plan-changed")
    void planChanged(ConsumerRecord<String, String> record) {
        EventEnvelope parsed = envelope(record);
        SubscriptionData data = codec.data(parsed, SubscriptionData.class);
        subscriptions
                .updateAtProvider(
                        data.state(parsed),
                        UpdateKind.CHANGE_PLAN,
                        data.prorationOf().prorate())
                .block(PROVIDER_STEP);
        events.handle(
                record,
                SubscriptionData.class,
                (envelope, s) -> subscriptions.planChanged(s.state(envelope), s.prorationOf()));
    }

    @KafkaListener(topics = "subscription-canceled")
    void canceled(ConsumerRecord<String, String> record) {
        EventEnvelope parsed = envelope(record);
        SubscriptionState state =
                data(record, SubscriptionData.class).withoutPrice().state(parsed);
        UpdateKind kind = "CANCELED".equals(state.status()) ? UpdateKind.CANCEL_NOW : UpdateKind.CANCEL_AT_PERIOD_END;
        subscriptions.updateAtProvider(state, kind, false).block(PROVIDER_STEP);
        events.handle(
                record,
                SubscriptionData.class,
                (envelope, s) -> subscriptions.canceled(s.withoutPrice().state(envelope)));
    }

    /** A scheduled cancel undone: cancel_at_period_end false again, so the renewal job (or Stripe) bills it. */
    @KafkaListener(topics = "subscription-resumed")
    void resumed(ConsumerRecord<String, String> record) {
        EventEnvelope parsed = envelope(record);
        subscriptions
                .updateAtProvider(
                        data(record, SubscriptionData.class).withoutPrice().state(parsed), UpdateKind.RESUME, false)
                .block(PROVIDER_STEP);
        events.handle(
                record,
                SubscriptionData.class,
                (envelope, s) -> subscriptions.resumed(s.withoutPrice().state(envelope)));
    }
}
