package dev.billing.notification.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SMTP server goes away: the mail stays PENDING with its attempts and next attempt, and goes
 * out once the server is back and the retry is due (the clock moves, the dispatcher runs); after
 * the last attempt it is FAILED. Settings in the tests: first retry after 1 minute, 3 attempts.
 */
class RetryIT extends NotificationIT {

    @AfterEach
    void smtpBack() {
        MailServer.start();
    }

    @Test
    void aMailThatFailedWhileSmtpWasDownIsDeliveredAfterRecovery() {
        User user = newUser();
        String token = "retry-" + UUID.randomUUID();
        MailServer.stop();
        String event = verificationRequested(user, token);
        await(() -> {
            Row row = row(event);
            return row != null && row.attempts() == 1 && row.lastError() != null;
        });
        Row failed = row(event);
        assertThat(failed.status()).isEqualTo("PENDING");
        assertThat(failed.nextAttemptAt()).isAfter(clock.instant());
        assertThat(failed.lastError()).doesNotContain(token);

        MailServer.start();
        sendNow();
        assertThat(mailsTo(user)).as("not due yet").isEmpty();
        assertThat(row(event).attempts()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(2));
        sendNow();
        assertThat(text(awaitMail(user, "Confirm your email address for Acme Test")))
                .contains("https://app.acme.test/verify-email?token=" + token);
        Row sent = row(event);
        assertThat(sent.status()).isEqualTo("SENT");
        assertThat(sent.attempts()).isEqualTo(2);
        assertThat(sent.lastError()).isNull();
        assertThat(sent.model()).isNull();
        sendNow();
        assertThat(mailsTo(user)).hasSize(1);
    }

    @Test
    void aMailIsFailedAfterTheLastAttempt() throws Exception {
        User user = newUser();
        MailServer.stop();
        String event = verificationRequested(user, "lost-" + UUID.randomUUID());
        await(() -> {
            Row row = row(event);
            return row != null && row.attempts() == 1 && row.lastError() != null;
        });
        clock.advance(Duration.ofMinutes(2));
        sendNow();
        assertThat(row(event).attempts()).isEqualTo(2);
        assertThat(row(event).status()).isEqualTo("PENDING");
        clock.advance(Duration.ofMinutes(5));
        sendNow();
        Row row = row(event);
        assertThat(row.attempts()).isEqualTo(3);
        assertThat(row.status()).isEqualTo("FAILED");
        assertThat(row.nextAttemptAt()).isNull();
        assertThat(row.model()).as("the token is dropped").isNull();

        MailServer.start();
        clock.advance(Duration.ofHours(1));
        sendNow();
        assertThat(mailsTo(user)).isEmpty();
        var listed = get(user, "/api/v1/notifications/me").get("items").get(0);
        assertThat(listed.get("status").asString()).isEqualTo("FAILED");
        assertThat(listed.get("attempts").asInt()).isEqualTo(3);
    }
}
