package dev.billing.notification.mail.application;

import dev.billing.notification.mail.domain.MailKind;
import dev.billing.notification.mail.domain.NotificationStatus;
import dev.billing.notification.mail.domain.Preferences;
import dev.billing.notification.mail.persistence.NotificationStore;
import dev.billing.notification.mail.persistence.NotificationStore.LogEntry;
import dev.billing.notification.mail.persistence.NotificationStore.NewNotification;
import dev.billing.platform.event.EventEnvelope;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the listeners do with an event, inside the inbox's transaction: keep the users read model,
 * and write the mail the event asks for into the notification log (PENDING, or SKIPPED when the
 * user opted out). Sending happens afterwards, from the log ({@link Dispatcher}), so an SMTP outage
 * never fails or holds up the Kafka listener.
 */
@Service
public class Notifications {

    /** Who a mail goes to when the event says so itself (auth events); otherwise the users read model. */
    public record Recipient(String email, String name) {}

    private final NotificationStore store;
    private final MailTemplates templates;
    private final JsonMapper json;
    private final Clock clock;

    Notifications(NotificationStore store, MailTemplates templates, JsonMapper json, Clock clock) {
        this.store = store;
        this.templates = templates;
        this.json = json;
        this.clock = clock;
    }

    public Instant now() {
        return clock.instant();
    }

    /** An auth event's address and name (older versions than the one applied are ignored). */
    public Mono<Void> userSeen(UUID userId, String email, String name, long version) {
        return store.upsertUser(userId, email, name, version, null, now());
    }

    public Mono<Void> userDeactivated(UUID userId, String email, String name, long version, Instant at) {
        return store.upsertUser(userId, email, name, version, at == null ? now() : at, now());
    }

    /**
     * Logs the mail for one event. Essential mail (security, billing) is always PENDING; other mail
     * is SKIPPED when the user opted out of its category or was deactivated.
     */
    public Mono<Void> accept(
            EventEnvelope envelope, MailKind kind, UUID userId, Recipient recipient, Map<String, Object> model) {
        Mono<Boolean> wanted = kind.category().essential()
                ? Mono.just(true)
                : Mono.zip(
                                store.preferences(userId),
                                store.user(userId)
                                        .map(u -> u.deactivatedAt() == null)
                                        .defaultIfEmpty(true))
                        .map(t -> t.getT1().allows(kind.category()) && t.getT2());
        Map<String, Object> withName = new java.util.HashMap<>(model);
        if (recipient != null && recipient.name() != null) {
            withName.put("name", recipient.name());
        }
        String subject = templates.subject(kind, withName);
        return wanted.flatMap(send -> store.insert(
                        new NewNotification(
                                UUID.randomUUID(),
                                envelope.id(),
                                kind.eventType(),
                                userId,
                                kind.category().name(),
                                recipient == null ? null : recipient.email(),
                                subject,
                                json.writeValueAsString(withName),
                                send ? NotificationStatus.PENDING : NotificationStatus.SKIPPED),
                        now()))
                .then();
    }

    public Mono<Preferences> preferences(UUID userId) {
        return store.preferences(userId);
    }

    public Mono<Preferences> savePreferences(UUID userId, Preferences preferences) {
        return store.savePreferences(userId, preferences, now()).thenReturn(preferences);
    }

    public record LogPage(java.util.List<LogEntry> items, int page, int size, long total) {}

    public Mono<LogPage> logOf(UUID userId, int page, int size) {
        return Mono.zip(store.logOf(userId, page, size).collectList(), store.countOf(userId))
                .map(t -> new LogPage(t.getT1(), page, size, t.getT2()));
    }
}
