package dev.billing.notification.mail.domain;

/** A user's opt-outs; only non-essential categories can be turned off. */
public record Preferences(boolean marketing, boolean subscriptionUpdates) {

    /** What a user who never chose gets: everything. */
    public static final Preferences DEFAULT = new Preferences(true, true);

    public boolean allows(Category category) {
        return switch (category) {
            case SECURITY, BILLING -> true;
            case MARKETING -> marketing;
            case SUBSCRIPTION_UPDATES -> subscriptionUpdates;
        };
    }
}
