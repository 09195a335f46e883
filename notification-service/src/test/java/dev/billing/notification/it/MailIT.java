package dev.billing.notification.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Each consumed event: exactly one mail, to the right address, with its subject, links and both parts. */
class MailIT extends NotificationIT {

    @Test
    void userRegisteredSendsAWelcomeWithTheLoginLinkAndKeepsTheUser() throws Exception {
        User user = newUser();
        userRegistered(user);
        MimeMessage mail = awaitMail(user, "Welcome to Acme Test");
        assertThat(((InternetAddress) mail.getFrom()[0]).getAddress()).isEqualTo("billing@acme.test");
        assertThat(((InternetAddress) mail.getFrom()[0]).getPersonal()).isEqualTo("Acme Test");
        assertThat(((InternetAddress) mail.getAllRecipients()[0]).getPersonal()).isEqualTo(user.name());
        assertThat(text(mail)).contains("Hello " + user.name(), "https://app.acme.test/login", "help@acme.test");
        assertThat(html(mail)).contains("href=\"https://app.acme.test/login\"", "mailto:help@acme.test");
        assertThat(count(
                        "SELECT count(*) FROM users WHERE id = '" + user.id() + "' AND email = '" + user.email() + "'"))
                .isEqualTo(1);
    }

    @Test
    void verificationMailCarriesTheTokenLinkInBothParts() {
        User user = newUser();
        String token = "vEr1fy-" + UUID.randomUUID();
        String event = verificationRequested(user, token);
        MimeMessage mail = awaitMail(user, "Confirm your email address for Acme Test");
        String link = "https://app.acme.test/verify-email?token=" + token;
        assertThat(text(mail)).contains(link);
        assertThat(html(mail)).contains("href=\"" + link + "\"");
        // sent: the token no longer sits in the log
        await(() -> "SENT".equals(row(event).status()));
        assertThat(row(event).model()).isNull();
        assertThat(row(event).recipient()).isEqualTo(user.email());
    }

    @Test
    void passwordResetMailCarriesTheResetLink() {
        User user = newUser();
        String token = "r3set-" + UUID.randomUUID();
        publish("password-reset-requested", user.id(), 1, d -> {
            d.put("userId", user.id().toString());
            d.put("email", user.email());
            d.put("name", user.name());
            d.put("token", token);
        });
        MimeMessage mail = awaitMail(user, "Reset your Acme Test password");
        String link = "https://app.acme.test/reset-password?token=" + token;
        assertThat(text(mail)).contains(link);
        assertThat(html(mail)).contains("href=\"" + link + "\"");
    }

    @Test
    void theLoginCodeIsInTheMailButNotInTheLog() {
        User user = newUser();
        String code = String.valueOf(100000 + (int) (Math.random() * 899999));
        publish("login-code-requested", user.id(), 1, d -> {
            d.put("userId", user.id().toString());
            d.put("email", user.email());
            d.put("name", user.name());
            d.put("code", code);
        });
        MimeMessage mail = awaitMail(user, "Your Acme Test sign-in code");
        assertThat(text(mail)).contains(code);
        assertThat(html(mail)).contains(code);

        await(() -> get(user, "/api/v1/notifications/me")
                .get("items")
                .get(0)
                .get("status")
                .asString()
                .equals("SENT"));
        String listing = getRaw(user, "/api/v1/notifications/me");
        assertThat(listing).doesNotContain(code).contains("login-code-requested", "Your Acme Test sign-in code");
    }

    @Test
    void subscriptionAndPaymentEventsAreMailedToTheRegisteredAddress() {
        User user = registeredUser();
        UUID sub = UUID.randomUUID();
        Instant end = Instant.parse("2027-02-22T10:03:05Z");
        subscriptionEvent("subscription-activated", user, sub, d -> d.put("currentPeriodEnd", end.toString()));
        subscriptionEvent("subscription-renewed", user, sub, d -> d.put("currentPeriodEnd", end.toString()));
        subscriptionEvent("subscription-canceled", user, sub, d -> {
            d.put("cancelAtPeriodEnd", true);
            d.put("endsAt", end.toString());
        });
        subscriptionEvent("subscription-expired", user, sub, d -> d.put("expiredAt", end.toString()));
        paymentEvent("payment-failed", user, sub, 1499);
        paymentEvent("refund-issued", user, sub, 1999);

        MimeMessage activated = awaitMail(user, "Your Premium subscription is active");
        assertThat(text(activated)).contains("active until 22 February 2027", "https://app.acme.test/account/billing");
        assertThat(html(activated)).contains("href=\"https://app.acme.test/account/billing\"");
        MimeMessage renewed = awaitMail(user, "Your Premium subscription has renewed");
        assertThat(text(renewed)).contains("until 22 February 2027");
        MimeMessage canceled = awaitMail(user, "Your Premium subscription ends on 22 February 2027");
        assertThat(html(canceled)).contains("You keep access until 22 February 2027");
        MimeMessage expired = awaitMail(user, "Your Premium subscription has ended");
        assertThat(text(expired)).contains("ended on 22 February 2027");
        MimeMessage failed = awaitMail(user, "Action needed: your payment of 14.99 USD failed");
        assertThat(text(failed)).contains("(Your card was declined.)", "We will try again on 25 January 2027");
        assertThat(html(failed)).contains("Update payment details");
        MimeMessage refund = awaitMail(user, "Your refund of 19.99 USD is on its way");
        assertThat(html(refund)).contains("<strong>19.99 USD</strong>");

        sendNow();
        assertThat(mailsTo(user)).hasSize(7); // the welcome and one per event
        for (MimeMessage m : mailsTo(user)) {
            assertThat(part(m, "text/plain")).isNotBlank();
            assertThat(part(m, "text/html")).isNotBlank();
        }
    }

    @Test
    void anEventDeliveredThreeTimesSendsOneMail() {
        User user = newUser();
        String token = "dup-" + UUID.randomUUID();
        String event = verificationRequested(user, token);
        send("email-verification-requested", user.id(), event);
        send("email-verification-requested", user.id(), event);
        // a later event on the same partition (same key): once it is applied, the copies were consumed
        String marker = verificationRequested(user, "marker-" + UUID.randomUUID());
        awaitApplied(marker);
        awaitMails(user, 2);
        sendNow();
        assertThat(mailsTo(user)).hasSize(2);
        assertThat(mailsTo(user).stream().filter(m -> text(m).contains(token))).hasSize(1);
        assertThat(count("SELECT count(*) FROM notifications WHERE user_id = '" + user.id() + "'"))
                .isEqualTo(2);
    }

    @Test
    void anEventForAUserNotYetKnownWaitsAndGoesOutWhenTheUserRegisters() {
        User user = newUser();
        UUID sub = UUID.randomUUID();
        String activated = subscriptionEvent("subscription-activated", user, sub, d -> {});
        assertThat(awaitRow(activated).status()).isEqualTo("PENDING");
        sendNow();
        assertThat(row(activated).status()).isEqualTo("PENDING");
        assertThat(row(activated).attempts()).isZero();
        assertThat(mailsTo(user)).isEmpty();

        userRegistered(user);
        MimeMessage mail = awaitMail(user, "Your Premium subscription is active");
        assertThat(text(mail)).contains("Hello " + user.name());
        await(() -> "SENT".equals(row(activated).status()));
        assertThat(row(activated).recipient()).isEqualTo(user.email());
    }

    @Test
    void aMailForAUserWhoNeverArrivesGivesUpAfterTheWait() {
        User user = newUser();
        String activated = subscriptionEvent("subscription-activated", user, UUID.randomUUID(), d -> {});
        awaitRow(activated);
        clock.advance(java.time.Duration.ofDays(3)); // unknown-user-wait is 2 days in the tests
        sendNow();
        Row row = row(activated);
        assertThat(row.status()).isEqualTo("FAILED");
        assertThat(row.lastError()).contains("user unknown");
        assertThat(row.model()).isNull();
    }

    @Test
    void aDeactivatedUserGetsNoMoreOptionalMailButStillItsReceipts() {
        User user = registeredUser();
        String deactivated = publish("user-deactivated", user.id(), 5, d -> {
            d.put("userId", user.id().toString());
            d.put("email", user.email());
            d.put("name", user.name());
        });
        awaitApplied(deactivated);
        UUID sub = UUID.randomUUID();
        String renewed = subscriptionEvent("subscription-renewed", user, sub, d -> {});
        paymentEvent("refund-issued", user, sub, 500);
        awaitMail(user, "Your refund of 5.00 USD is on its way");
        assertThat(awaitRow(renewed).status()).isEqualTo("SKIPPED");
        sendNow();
        assertThat(mailsTo(user)).hasSize(2); // welcome, refund
    }

    @Test
    void anAuthEventWithoutItsTokenGoesToTheDeadLetterTopic() {
        User user = newUser();
        String event = envelope("email-verification-requested", user.id(), 1, d -> {
            d.put("userId", user.id().toString());
            d.put("email", user.email());
            d.put("name", user.name());
            d.putNull("token");
        });
        send("email-verification-requested", user.id(), event);
        UUID id = eventId(event);
        JsonNode dead = deadLetter("email-verification-requested-dlt", id);
        assertThat(dead.get("id").asString()).isEqualTo(id.toString());
        assertThat(count("SELECT count(*) FROM notifications WHERE event_id = '" + id + "'"))
                .isZero();
        assertThat(mailsTo(user)).isEmpty();
    }
}
