package dev.billing.notification.mail.web;

import dev.billing.notification.mail.application.Notifications;
import dev.billing.notification.mail.domain.Category;
import dev.billing.notification.mail.domain.Preferences;
import dev.billing.notification.mail.persistence.NotificationStore.LogEntry;
import dev.billing.platform.security.Caller;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code /api/v1/notifications}: the caller's notification log and mail preferences (token needed). */
@RestController
@RequestMapping(path = "/api/v1/notifications", produces = MediaType.APPLICATION_JSON_VALUE)
class NotificationController {

    static final int MAX_PAGE_SIZE = 100;

    /** The preferences a user can change; the essential categories are listed for information. */
    static final List<String> SETTABLE = List.of("marketing", "subscriptionUpdates");

    static final List<String> ALWAYS_SENT = Arrays.stream(Category.values())
            .filter(Category::essential)
            .map(c -> c.name().toLowerCase(java.util.Locale.ROOT))
            .toList();

    /** One log row: what, when, and its state. Never the recipient's code, token or links. */
    record NotificationResponse(
            UUID id,
            String type,
            String category,
            String subject,
            String status,
            int attempts,
            Instant createdAt,
            Instant sentAt,
            Instant nextAttemptAt) {

        static NotificationResponse of(LogEntry e) {
            return new NotificationResponse(
                    e.id(),
                    e.eventType(),
                    e.category(),
                    e.subject(),
                    e.status().name(),
                    e.attempts(),
                    e.createdAt(),
                    e.sentAt(),
                    e.nextAttemptAt());
        }
    }

    record NotificationPage(List<NotificationResponse> items, int page, int size, long total) {}

    record PreferencesResponse(boolean marketing, boolean subscriptionUpdates, List<String> alwaysSent) {
        static PreferencesResponse of(Preferences p) {
            return new PreferencesResponse(p.marketing(), p.subscriptionUpdates(), ALWAYS_SENT);
        }
    }

    private final Notifications notifications;

    NotificationController(Notifications notifications) {
        this.notifications = notifications;
    }

    /** The caller's mails, newest first. */
    @GetMapping("/me")
    Mono<NotificationPage> mine(
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (page < 0) {
            errors.put("page", "must be 0 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            errors.put("size", "must be between 1 and " + MAX_PAGE_SIZE);
        }
        if (!errors.isEmpty()) {
            return Mono.error(Problems.validation(errors));
        }
        return Caller.required()
                .flatMap(c -> notifications.logOf(c.userId(), page, size))
                .map(p -> new NotificationPage(
                        p.items().stream().map(NotificationResponse::of).toList(), p.page(), p.size(), p.total()));
    }

    @GetMapping("/preferences")
    Mono<PreferencesResponse> preferences() {
        return Caller.required()
                .flatMap(c -> notifications.preferences(c.userId()))
                .map(PreferencesResponse::of);
    }

    /**
     * Replaces the caller's preferences: {@code {"marketing": false, "subscriptionUpdates": true}}.
     * Both are required booleans; security and billing mail cannot be turned off (400 if asked).
     */
    @PutMapping(path = "/preferences", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<PreferencesResponse> savePreferences(@RequestBody Map<String, Object> body) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (String field : SETTABLE) {
            if (!(body.get(field) instanceof Boolean)) {
                errors.put(field, body.containsKey(field) ? "must be true or false" : "is required (true or false)");
            }
        }
        for (String field : body.keySet()) {
            if (ALWAYS_SENT.contains(field)) {
                errors.put(field, field + " mail is always sent and cannot be turned off");
            } else if (!SETTABLE.contains(field)) {
                errors.put(field, "unknown preference; known: " + SETTABLE);
            }
        }
        if (!errors.isEmpty()) {
            return Mono.error(Problems.validation(errors));
        }
        Preferences wanted =
                new Preferences((Boolean) body.get("marketing"), (Boolean) body.get("subscriptionUpdates"));
        return Caller.required()
                .flatMap(c -> notifications.savePreferences(c.userId(), wanted))
                .map(PreferencesResponse::of);
    }
}
