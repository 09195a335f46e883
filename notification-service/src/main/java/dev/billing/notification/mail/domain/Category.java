package dev.billing.notification.mail.domain;

/**
 * Why a mail is sent, which decides whether the user may turn it off. Security mail (verification,
 * password reset, login codes) and billing mail (receipts, failed payments, refunds, cancel
 * confirmations) always go out; the others honour the user's preferences.
 */
public enum Category {
    SECURITY(true),
    BILLING(true),
    SUBSCRIPTION_UPDATES(false),
    MARKETING(false);

    private final boolean essential;

    Category(boolean essential) {
        this.essential = essential;
    }

    public boolean essential() {
        return essential;
    }
}
