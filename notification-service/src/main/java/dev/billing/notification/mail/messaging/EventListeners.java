package dev.billing.notification.mail.messaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.billing.notification.mail.application.Dispatcher;
import dev.billing.notification.mail.application.Notifications;
import dev.billing.notification.mail.application.Notifications.Recipient;
import dev.billing.notification.mail.domain.MailFormat;
import dev.billing.notification.mail.domain.MailKind;
import dev.billing.platform.inbox.InboundEvents;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Every user-facing event. Each one writes its mail into the notification log in the inbox's
 * transaction (one row per event id), then wakes the dispatcher, which sends from the log. Auth
 * events also keep the users read model (address and name) that the other events are mailed to.
 * Payload records map only the fields read (contracts may add more); the model keeps only what
 * the templates show, already formatted.
 */
@Component
class EventListeners {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AuthEvent(UUID userId, String email, String name, String token, String code, Instant expiresAt) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record UserDeactivated(UUID userId, String email, String name, Instant deactivatedAt) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SubscriptionEvent(
            UUID subscriptionId,
            UUID userId,
            String planName,
            Instant currentPeriodEnd,
            Boolean cancelAtPeriodEnd,
            Instant endsAt,
            Instant expiredAt) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PaymentEvent(
            UUID subscriptionId,
            UUID userId,
            long amount,
            String currency,
            String failureMessage,
            Instant nextRetryAt) {}

    private final InboundEvents events;
    private final Notifications notifications;
    private final Dispatcher dispatcher;

    EventListeners(InboundEvents events, Notifications notifications, Dispatcher dispatcher) {
        this.events = events;
        this.notifications = notifications;
        this.dispatcher = dispatcher;
    }

    // ---- auth-service: address and name in the event ---------------------------------------------

    @KafkaListener(
            topics = {
                "user-registered",
                "email-verification-requested",
                "password-reset-requested",
                "login-code-requested"
            })
    void onAuthEvent(ConsumerRecord<String, String> record) {
        handled(events.handle(record, AuthEvent.class, (envelope, e) -> {
            MailKind kind = kind(envelope.type());
            Map<String, Object> model = new HashMap<>();
            model.put("expiresText", MailFormat.dateTime(e.expiresAt()));
            switch (kind) {
                case VERIFY_EMAIL, PASSWORD_RESET -> model.put("token", required(e.token(), "token"));
                case LOGIN_CODE -> model.put("code", required(e.code(), "code"));
                default -> {}
            }
            return notifications
                    .userSeen(e.userId(), e.email(), e.name(), envelope.aggregateversion())
                    .then(notifications.accept(envelope, kind, e.userId(), new Recipient(e.email(), e.name()), model));
        }));
    }

    /** Read model only: later non-essential mail to this user is skipped. */
    @KafkaListener(topics = "user-deactivated")
    void onUserDeactivated(ConsumerRecord<String, String> record) {
        events.handle(
                record,
                UserDeactivated.class,
                (envelope, e) -> notifications.userDeactivated(
                        e.userId(), e.email(), e.name(), envelope.aggregateversion(), e.deactivatedAt()));
    }

    // ---- subscription-service and payment-service: mailed to the user's known address -------------

    @KafkaListener(
            topics = {"subscription-activated", "subscription-renewed", "subscription-canceled", "subscription-expired"
            })
    void onSubscriptionEvent(ConsumerRecord<String, String> record) {
        handled(events.handle(record, SubscriptionEvent.class, (envelope, e) -> {
            Map<String, Object> model = new HashMap<>();
            model.put("planName", e.planName() == null ? "" : e.planName());
            model.put("periodEndText", MailFormat.date(e.currentPeriodEnd()));
            boolean atPeriodEnd = Boolean.TRUE.equals(e.cancelAtPeriodEnd());
            model.put("atPeriodEnd", atPeriodEnd);
            model.put("endsOn", MailFormat.date(e.endsAt() != null ? e.endsAt() : e.currentPeriodEnd()));
            model.put("endedOn", MailFormat.date(e.expiredAt() != null ? e.expiredAt() : e.currentPeriodEnd()));
            return notifications.accept(envelope, kind(envelope.type()), e.userId(), null, model);
        }));
    }

    @KafkaListener(topics = {"payment-failed", "refund-issued"})
    void onPaymentEvent(ConsumerRecord<String, String> record) {
        handled(events.handle(record, PaymentEvent.class, (envelope, e) -> {
            Map<String, Object> model = new HashMap<>();
            model.put("amountText", MailFormat.money(e.amount(), e.currency()));
            model.put("failureMessage", e.failureMessage() == null ? "" : e.failureMessage());
            model.put("nextRetryText", MailFormat.date(e.nextRetryAt()));
            return notifications.accept(envelope, kind(envelope.type()), e.userId(), null, model);
        }));
    }

    private void handled(boolean applied) {
        if (applied) {
            dispatcher.wake();
        }
    }

    private static MailKind kind(String type) {
        return MailKind.ofEventType(type).orElseThrow(() -> new IllegalArgumentException("no mail for " + type));
    }

    /** An auth event without its token or code cannot make a usable mail: the record goes to the DLT. */
    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("event without " + field);
        }
        return value;
    }
}
