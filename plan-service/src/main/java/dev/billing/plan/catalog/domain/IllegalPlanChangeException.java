package dev.billing.plan.catalog.domain;

/** A change the plan's state does not allow (for example editing an archived plan). */
public class IllegalPlanChangeException extends RuntimeException {

    public IllegalPlanChangeException(String message) {
        super(message);
    }
}
