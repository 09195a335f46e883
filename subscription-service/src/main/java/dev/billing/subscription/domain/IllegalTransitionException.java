package dev.billing.subscription.domain;

/** A command the subscription's current state does not allow (409 at the edge). */
public class IllegalTransitionException extends RuntimeException {

    public IllegalTransitionException(String message) {
        super(message);
    }

    static IllegalTransitionException of(Subscription s, String action) {
        return new IllegalTransitionException("A subscription that is " + s.status()
                + (s.cancelAtPeriodEnd() ? " (canceling at period end)" : "") + " cannot " + action + ".");
    }
}
