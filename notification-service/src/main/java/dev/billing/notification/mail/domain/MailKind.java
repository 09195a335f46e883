package dev.billing.notification.mail.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * One kind of mail per consumed event type: its category, its templates ({@code
 * templates/mail/<template>.html|txt.mustache}) and its subject (a Mustache template over the same
 * model). A subject never contains a secret: it is shown in the notification log.
 */
public enum MailKind {
    WELCOME("user-registered", Category.MARKETING, "welcome", "Welcome to {{businessName}}"),
    VERIFY_EMAIL(
            "email-verification-requested",
            Category.SECURITY,
            "verify-email",
            "Confirm your email address for {{businessName}}"),
    PASSWORD_RESET(
            "password-reset-requested", Category.SECURITY, "password-reset", "Reset your {{businessName}} password"),
    LOGIN_CODE("login-code-requested", Category.SECURITY, "login-code", "Your {{businessName}} sign-in code"),
    SUBSCRIPTION_ACTIVATED(
            "subscription-activated",
            Category.BILLING,
            "subscription-activated",
            "Your {{planName}} subscription is active"),
    SUBSCRIPTION_RENEWED(
            "subscription-renewed",
            Category.SUBSCRIPTION_UPDATES,
            "subscription-renewed",
            "Your {{planName}} subscription has renewed"),
    PAYMENT_FAILED(
            "payment-failed",
            Category.BILLING,
            "payment-failed",
            "Action needed: your payment of {{amountText}} failed"),
    SUBSCRIPTION_CANCELED(
            "subscription-canceled",
            Category.BILLING,
            "subscription-canceled",
            "{{#atPeriodEnd}}Your {{planName}} subscription ends on {{endsOn}}{{/atPeriodEnd}}"
                    + "{{^atPeriodEnd}}Your {{planName}} subscription is canceled{{/atPeriodEnd}}"),
    SUBSCRIPTION_EXPIRED(
            "subscription-expired",
            Category.SUBSCRIPTION_UPDATES,
            "subscription-expired",
            "Your {{planName}} subscription has ended"),
    REFUND_ISSUED("refund-issued", Category.BILLING, "refund-issued", "Your refund of {{amountText}} is on its way");

    private final String eventType;
    private final Category category;
    private final String template;
    private final String subject;

    MailKind(String eventType, Category category, String template, String subject) {
        this.eventType = eventType;
        this.category = category;
        this.template = template;
        this.subject = subject;
    }

    public String eventType() {
        return eventType;
    }

    public Category category() {
        return category;
    }

    public String template() {
        return template;
    }

    public String subject() {
        return subject;
    }

    public static Optional<MailKind> ofEventType(String type) {
        return Arrays.stream(values()).filter(k -> k.eventType.equals(type)).findFirst();
    }
}
