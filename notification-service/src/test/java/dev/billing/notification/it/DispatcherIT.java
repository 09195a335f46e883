package dev.billing.notification.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** Several dispatchers (replicas) on one log: every due mail is sent once. */
class DispatcherIT extends NotificationIT {

    @Test
    void concurrentPassesSendEachMailOnce() {
        User user = registeredUser();
        int mails = 30;
        Instant now = clock.instant();
        // rows as the listener writes them, all due at once, so that the passes race for them
        for (int i = 0; i < mails; i++) {
            db.sql("INSERT INTO notifications (id, event_id, event_type, user_id, category, subject, model, status,"
                            + " attempts, next_attempt_at, created_at, updated_at) VALUES (:id, :event,"
                            + " 'refund-issued', :user, 'BILLING', :subject, :model, 'PENDING', 0, :now, :now, :now)")
                    .bind("id", UUID.randomUUID())
                    .bind("event", UUID.randomUUID())
                    .bind("user", user.id())
                    .bind("subject", "Your refund of " + i + ".00 USD is on its way")
                    .bind(
                            "model",
                            "{\"amountText\": \"" + i + ".00 USD\", \"failureMessage\": \"\", \"nextRetryText\": \"\"}")
                    .bind("now", now)
                    .then()
                    .block(WAIT);
        }
        Long sent = Flux.range(0, 4)
                .flatMap(n -> dispatcher.runOnce().subscribeOn(Schedulers.parallel()))
                .reduce(0L, Long::sum)
                .block(WAIT);
        sendNow();
        await(() -> count("SELECT count(*) FROM notifications WHERE user_id = '" + user.id() + "' AND status = 'SENT'")
                == mails + 1);
        assertThat(sent).isLessThanOrEqualTo(mails);
        assertThat(mailsTo(user)).hasSize(mails + 1); // and the welcome
        assertThat(mailsTo(user).stream().map(NotificationIT::subject).distinct())
                .hasSize(mails + 1);
        assertThat(count("SELECT count(*) FROM notifications WHERE user_id = '" + user.id() + "' AND attempts <> 1"))
                .isZero();
    }

    @Test
    void aMailItsTemplatesCannotRenderFailsAtOnceInsteadOfRetrying() {
        User user = registeredUser();
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        db.sql("INSERT INTO notifications (id, event_id, event_type, user_id, category, subject, model, status,"
                        + " attempts, next_attempt_at, created_at, updated_at) VALUES (:id, :event, 'refund-issued',"
                        + " :user, 'BILLING', 'Your refund', '{}', 'PENDING', 0, :now, :now, :now)")
                .bind("id", id)
                .bind("event", UUID.randomUUID())
                .bind("user", user.id())
                .bind("now", now)
                .then()
                .block(WAIT);
        sendNow();
        await(() -> count("SELECT count(*) FROM notifications WHERE id = '" + id + "' AND status = 'FAILED'") == 1);
        assertThat(count("SELECT attempts FROM notifications WHERE id = '" + id + "'"))
                .isEqualTo(1);
        assertThat(mailsTo(user)).hasSize(1); // only the welcome
    }
}
