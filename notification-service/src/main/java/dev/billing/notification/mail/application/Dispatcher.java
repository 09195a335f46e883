package dev.billing.notification.mail.application;

import dev.billing.notification.config.NotificationProperties;
import dev.billing.notification.mail.domain.MailKind;
import dev.billing.notification.mail.domain.RetrySchedule;
import dev.billing.notification.mail.persistence.NotificationStore;
import dev.billing.notification.mail.persistence.NotificationStore.Claimed;
import dev.billing.notification.mail.transport.MailTransport;
import dev.billing.notification.mail.transport.MailTransport.OutgoingMail;
import dev.billing.notification.mail.transport.MailTransport.UndeliverableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends what the notification log holds. A pass claims due PENDING rows (lease + {@code SKIP
 * LOCKED}, so replicas never send the same row at once), renders and sends each, and marks it
 * SENT, or schedules the next attempt with backoff, or FAILED after the last attempt. It runs
 * after each consumed event ({@link #wake()}) and on a schedule (retries, users that arrived
 * later). Time comes only from the injected clock, so tests move it to make retries due.
 *
 * <p>A crash between the SMTP server's acceptance and the SENT mark sends that mail again after
 * the lease: at least once, like every other delivery in the platform.
 */
@Component
public class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final TypeReference<Map<String, Object>> MODEL = new TypeReference<>() {};

    private final NotificationStore store;
    private final MailTemplates templates;
    private final MailTransport transport;
    private final RetrySchedule retries;
    private final NotificationProperties.Sending settings;
    private final JsonMapper json;
    private final Clock clock;
    private final Counter sent;
    private final Counter failedAttempts;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    Dispatcher(
            NotificationStore store,
            MailTemplates templates,
            MailTransport transport,
            RetrySchedule retries,
            NotificationProperties props,
            JsonMapper json,
            Clock clock,
            MeterRegistry meters) {
        this.store = store;
        this.templates = templates;
        this.transport = transport;
        this.retries = retries;
        this.settings = props.sending();
        this.json = json;
        this.clock = clock;
        this.sent = Counter.builder("notifications_sent_total").register(meters);
        this.failedAttempts =
                Counter.builder("notifications_send_failures_total").register(meters);
    }

    /** One pass: every due row (batch after batch); the number of mails sent. */
    public Mono<Long> runOnce() {
        int limit = settings.batchSize();
        return Mono.defer(() -> store.failWaitingForUnknownUsers(
                                clock.instant().minus(settings.unknownUserWait()), clock.instant())
                        .doOnNext(n -> {
                            if (n > 0) {
                                log.warn("{} mails gave up waiting for their user to register", n);
                            }
                        }))
                .then(batch(limit)
                        .expand(r -> r.claimed() == limit ? batch(limit) : Mono.empty())
                        .reduce(0L, (total, r) -> total + r.sent()));
    }

    private record BatchResult(int claimed, long sent) {}

    private Mono<BatchResult> batch(int limit) {
        Instant now = clock.instant();
        return store.claimDue(now, now.plus(settings.lease()), limit)
                .collectList()
                .flatMap(rows -> reactor.core.publisher.Flux.fromIterable(rows)
                        .concatMap(this::deliver)
                        .filter(Boolean::booleanValue)
                        .count()
                        .map(n -> new BatchResult(rows.size(), n)));
    }

    /** Sends one claimed row; true when it went out. Never errors: a failure is recorded on the row. */
    private Mono<Boolean> deliver(Claimed row) {
        return Mono.defer(() -> {
                    MailKind kind = MailKind.ofEventType(row.eventType())
                            .orElseThrow(() -> new UndeliverableException("no mail for " + row.eventType(), null));
                    Map<String, Object> model = new java.util.HashMap<>(json.readValue(row.model(), MODEL));
                    if (row.name() != null) {
                        model.putIfAbsent("name", row.name());
                    }
                    MailTemplates.RenderedMail mail = templates.render(kind, model);
                    Object name = model.get("name");
                    return transport.send(new OutgoingMail(
                            row.id(),
                            row.recipient(),
                            name == null ? null : name.toString(),
                            mail.subject(),
                            mail.text(),
                            mail.html()));
                })
                .then(Mono.defer(() -> store.markSent(row.id(), row.recipient(), clock.instant())))
                .doOnSuccess(v -> sent.increment())
                .thenReturn(true)
                .onErrorResume(e -> failed(row, e).thenReturn(false));
    }

    private Mono<Void> failed(Claimed row, Throwable e) {
        failedAttempts.increment();
        Instant now = clock.instant();
        // a bad address or a model the templates cannot render will not get better by waiting
        boolean permanent =
                e instanceof UndeliverableException || e instanceof com.samskivert.mustache.MustacheException;
        boolean giveUp = permanent || retries.exhausted(row.attempts());
        Instant next = giveUp ? null : retries.nextAttempt(row.attempts(), now);
        // the event's fields can hold a token: log the exception class and message only
        String error = e.getClass().getSimpleName() + ": " + e.getMessage();
        error = error.length() > 500 ? error.substring(0, 500) : error;
        if (giveUp) {
            log.error("mail {} ({}) FAILED after {} attempt(s): {}", row.id(), row.eventType(), row.attempts(), error);
        } else {
            log.warn(
                    "mail {} ({}) attempt {} failed, next at {}: {}",
                    row.id(),
                    row.eventType(),
                    row.attempts(),
                    next,
                    error);
        }
        return store.markAttemptFailed(row.id(), error, next, now);
    }

    /** Runs a pass soon, without waiting for it; passes never overlap in this replica. */
    public void wake() {
        again.set(true);
        if (running.compareAndSet(false, true)) {
            loop();
        }
    }

    private void loop() {
        again.set(false);
        runOnce()
                .timeout(Duration.ofMinutes(5))
                .onErrorResume(e -> {
                    log.warn("mail pass failed; next on schedule or event", e);
                    return Mono.empty();
                })
                .doFinally(signal -> {
                    running.set(false);
                    if (again.get() && running.compareAndSet(false, true)) {
                        loop();
                    }
                })
                .subscribe();
    }

    @Scheduled(
            fixedDelayString = "${notification.sending.interval:5s}",
            initialDelayString = "${notification.sending.interval:5s}")
    void scheduled() {
        if (settings.enabled()) {
            wake();
        }
    }
}
