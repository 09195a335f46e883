package dev.billing.notification.mail.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.notification.config.NotificationProperties;
import dev.billing.notification.mail.transport.MailTransport.OutgoingMail;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** Without SMTP_HOST, mail lands as .eml files a developer can open: a complete MIME message. */
class MailTransportTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    MailTransport transport() {
        return new MailTransport(
                new NotificationProperties(
                        "Acme",
                        null,
                        null,
                        null,
                        new NotificationProperties.Mail("billing@acme.test", dir.toString(), null),
                        null,
                        null),
                CLOCK);
    }

    @Test
    void withoutAnSmtpHostMailIsWrittenAsAnEmlFile() throws Exception {
        MailTransport transport = transport();
        assertThat(transport.destination())
                .isEqualTo(dir.toAbsolutePath().normalize().toString());
        UUID id = UUID.randomUUID();
        StepVerifier.create(transport.send(new OutgoingMail(
                        id, "jane@example.com", "Jane Doe", "Hello ✓", "plain body", "<p>html body</p>")))
                .verifyComplete();

        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.toList();
        }
        assertThat(files).hasSize(1);
        assertThat(files.getFirst().getFileName().toString()).isEqualTo("20261122T100000.000Z-" + id + ".eml");
        MimeMessage message;
        try (InputStream in = Files.newInputStream(files.getFirst())) {
            message = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        assertThat(message.getSubject()).isEqualTo("Hello ✓");
        assertThat(((InternetAddress) message.getFrom()[0]).getPersonal()).isEqualTo("Acme");
        assertThat(((InternetAddress) message.getAllRecipients()[0]).getAddress())
                .isEqualTo("jane@example.com");
        assertThat(message.getHeader("X-Notification-Id")[0]).isEqualTo(id.toString());
        String all = new String(Files.readAllBytes(files.getFirst()));
        assertThat(all).contains("multipart/alternative", "text/plain", "text/html", "plain body", "<p>html body</p>");
        assertThat(message.getContent()).isInstanceOf(Multipart.class);
    }

    @Test
    void anInvalidRecipientIsUndeliverableNotRetried() {
        StepVerifier.create(transport()
                        .send(new OutgoingMail(UUID.randomUUID(), "not an address", null, "s", "t", "<p>h</p>")))
                .expectError(MailTransport.UndeliverableException.class)
                .verify();
        assertThat(dir.toFile().list()).isNullOrEmpty();
    }
}
