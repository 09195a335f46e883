package dev.billing.notification.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code notification.*} settings (env vars in application.yml).
 *
 * @param businessName the name mails are signed with
 * @param supportEmail where mails tell users to write
 * @param publicWebUrl the web front end the links point at (verify email, reset password, login, billing)
 * @param links paths under {@code publicWebUrl}
 * @param mail sender, SMTP server, or the folder of .eml files when no SMTP host is set
 * @param sending the sender job: schedule, batch, retries
 * @param topics partitions and replicas of the topics it creates
 */
@ConfigurationProperties("notification")
public record NotificationProperties(
        String businessName,
        String supportEmail,
        String publicWebUrl,
        Links links,
        Mail mail,
        Sending sending,
        Topics topics) {

    public NotificationProperties {
        businessName = blankTo(businessName, "Billing Demo");
        supportEmail = blankTo(supportEmail, "support@example.com");
        publicWebUrl = stripSlash(blankTo(publicWebUrl, "http://localhost:8080"));
        links = links == null ? new Links(null, null, null, null) : links;
        mail = mail == null ? new Mail(null, null, null) : mail;
        sending = sending == null ? new Sending(true, null, 0, 0, null, null, null, null) : sending;
        topics = topics == null ? new Topics(3, 1) : topics;
    }

    public record Links(String verifyEmail, String resetPassword, String login, String billing) {
        public Links {
            verifyEmail = blankTo(verifyEmail, "/verify-email");
            resetPassword = blankTo(resetPassword, "/reset-password");
            login = blankTo(login, "/login");
            billing = blankTo(billing, "/account/billing");
        }
    }

    /**
     * @param from the From address
     * @param dir where mail goes when {@code smtp.host} is empty (the local catcher)
     */
    public record Mail(String from, String dir, Smtp smtp) {
        public Mail {
            from = blankTo(from, "no-reply@example.com");
            dir = blankTo(dir, ".local/mail");
            smtp = smtp == null ? new Smtp(null, 25, null, null, false, null, null) : smtp;
        }
    }

    public record Smtp(
            String host,
            int port,
            String username,
            String password,
            boolean starttls,
            Duration connectTimeout,
            Duration timeout) {
        public Smtp {
            host = host == null ? "" : host.strip();
            port = port <= 0 ? 25 : port;
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
            timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        }

        public boolean configured() {
            return !host.isEmpty();
        }

        /** Without the password: this record may be logged. */
        @Override
        public String toString() {
            return "Smtp[host=" + host + ", port=" + port + ", username=" + username + ", starttls=" + starttls + "]";
        }
    }

    /**
     * @param enabled run the sender on a schedule in this replica (it also runs after each consumed event)
     * @param interval pause between scheduled runs
     * @param batchSize rows claimed at once
     * @param maxAttempts attempts before a mail is FAILED
     * @param initialBackoff wait after the first failed attempt (doubles each time)
     * @param maxBackoff longest wait between attempts
     * @param lease how long a claimed row is not claimed again (a replica that dies mid-send releases it then)
     * @param unknownUserWait how long a mail for a user never seen waits for user-registered before FAILED
     */
    public record Sending(
            boolean enabled,
            Duration interval,
            int batchSize,
            int maxAttempts,
            Duration initialBackoff,
            Duration maxBackoff,
            Duration lease,
            Duration unknownUserWait) {
        public Sending {
            interval = interval == null ? Duration.ofSeconds(5) : interval;
            batchSize = batchSize < 1 ? 50 : batchSize;
            maxAttempts = maxAttempts < 1 ? 20 : maxAttempts;
            initialBackoff = initialBackoff == null ? Duration.ofSeconds(30) : initialBackoff;
            maxBackoff = maxBackoff == null ? Duration.ofHours(2) : maxBackoff;
            lease = lease == null ? Duration.ofMinutes(2) : lease;
            unknownUserWait = unknownUserWait == null ? Duration.ofDays(7) : unknownUserWait;
        }
    }

    public record Topics(int partitions, int replicas) {
        public Topics {
            partitions = partitions < 1 ? 3 : partitions;
            replicas = replicas < 1 ? 1 : replicas;
        }
    }

    private static String blankTo(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
