package dev.billing.notification.mail.domain;

/** A notification log row: waiting or retrying, delivered to the SMTP server, given up, or opted out. */
public enum NotificationStatus {
    PENDING,
    SENT,
    FAILED,
    SKIPPED
}
