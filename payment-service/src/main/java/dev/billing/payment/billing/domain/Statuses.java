package dev.billing.payment.billing.domain;

/** The statuses this service records. */
public final class Statuses {

    private Statuses() {}

    /** A payment attempt. UNKNOWN: the provider call's outcome is not known (timeout) until reconciled. */
    public enum PaymentStatus {
        PENDING,
        SUCCEEDED,
        FAILED,
        UNKNOWN
    }

    public enum InvoiceStatus {
        DRAFT,
        OPEN,
        PAID,
        VOID,
        UNCOLLECTIBLE
    }

    public enum SessionStatus {
        OPEN,
        COMPLETE,
        EXPIRED
    }

    public enum BillingReason {
        SUBSCRIPTION_CREATE,
        SUBSCRIPTION_CYCLE,
        SUBSCRIPTION_UPDATE
    }
}
