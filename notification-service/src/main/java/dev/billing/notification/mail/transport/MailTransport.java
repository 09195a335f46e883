package dev.billing.notification.mail.transport;

import dev.billing.notification.config.NotificationProperties;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Delivers a rendered mail: over SMTP when {@code SMTP_HOST} is set, otherwise as an {@code .eml}
 * file in {@code NOTIFICATION_MAIL_DIR} (the local stack's catcher: open the files in any mail
 * client). JavaMail blocks, so both run on {@code boundedElastic}.
 */
@Component
public class MailTransport {

    private static final Logger log = LoggerFactory.getLogger(MailTransport.class);
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    /** A mail ready to go; {@code id} names the file and the {@code X-Notification-Id} header. */
    public record OutgoingMail(UUID id, String to, String toName, String subject, String text, String html) {}

    /** The mail cannot be delivered at all (bad address, unbuildable message): retrying will not help. */
    public static class UndeliverableException extends RuntimeException {
        public UndeliverableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final JavaMailSenderImpl sender;
    private final InternetAddress from;
    private final Path dir;
    private final Clock clock;

    public MailTransport(NotificationProperties props, Clock clock) {
        var mail = props.mail();
        var smtp = mail.smtp();
        this.clock = clock;
        this.sender = new JavaMailSenderImpl();
        this.sender.setDefaultEncoding(StandardCharsets.UTF_8.name());
        Properties javaMail = new Properties();
        javaMail.put(
                "mail.smtp.connectiontimeout",
                String.valueOf(smtp.connectTimeout().toMillis()));
        javaMail.put("mail.smtp.timeout", String.valueOf(smtp.timeout().toMillis()));
        javaMail.put("mail.smtp.writetimeout", String.valueOf(smtp.timeout().toMillis()));
        if (smtp.configured()) {
            sender.setHost(smtp.host());
            sender.setPort(smtp.port());
            if (smtp.username() != null && !smtp.username().isBlank()) {
                sender.setUsername(smtp.username());
                sender.setPassword(smtp.password());
                javaMail.put("mail.smtp.auth", "true");
            }
            if (smtp.starttls()) {
                javaMail.put("mail.smtp.starttls.enable", "true");
                javaMail.put("mail.smtp.starttls.required", "true");
            }
            this.dir = null;
            log.info("mail goes over SMTP: {}", smtp);
        } else {
            this.dir = Path.of(mail.dir()).toAbsolutePath().normalize();
            log.info("no SMTP_HOST: mail is written as .eml files to {}", dir);
        }
        sender.setJavaMailProperties(javaMail);
        try {
            this.from = new InternetAddress(mail.from(), props.businessName(), StandardCharsets.UTF_8.name());
            this.from.validate();
        } catch (IOException | AddressException e) {
            throw new IllegalStateException("MAIL_FROM is not a valid address: " + mail.from(), e);
        }
    }

    /** Where mail goes, for logs and docs. */
    public String destination() {
        return dir == null ? "smtp://" + sender.getHost() + ":" + sender.getPort() : dir.toString();
    }

    public Mono<Void> send(OutgoingMail mail) {
        return Mono.fromCallable(() -> {
                    MimeMessage message = build(mail);
                    if (dir == null) {
                        sender.send(message);
                    } else {
                        write(mail.id(), message);
                    }
                    return mail.id();
                })
                .subscribeOn(Schedulers.boundedElastic())
                .then();
    }

    private MimeMessage build(OutgoingMail mail) {
        InternetAddress to;
        try {
            to = new InternetAddress(mail.to(), true);
            if (mail.toName() != null && !mail.toName().isBlank()) {
                to.setPersonal(mail.toName(), StandardCharsets.UTF_8.name());
            }
        } catch (AddressException | IOException e) {
            throw new UndeliverableException("invalid recipient address", e);
        }
        try {
            MimeMessage message = sender.createMimeMessage();
            // multipart/alternative: text first, HTML preferred by clients that can show it
            MimeMessageHelper helper = new MimeMessageHelper(message, true, StandardCharsets.UTF_8.name());
            helper.setFrom(from);
            helper.setTo(to);
            helper.setSubject(mail.subject());
            helper.setText(mail.text(), mail.html());
            helper.setSentDate(java.util.Date.from(clock.instant()));
            message.setHeader("X-Notification-Id", mail.id().toString());
            return message;
        } catch (MessagingException e) {
            throw new UndeliverableException("could not build the message", e);
        }
    }

    private void write(UUID id, MimeMessage message) throws IOException, MessagingException {
        Files.createDirectories(dir);
        Path target = dir.resolve(FILE_TIME.format(clock.instant()) + "-" + id + ".eml");
        Path partial = dir.resolve(id + ".eml.part");
        try (OutputStream out = Files.newOutputStream(partial)) {
            message.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // a reader of the folder never sees half a file
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
