package dev.billing.subscription.domain;

/** Why a subscription was canceled (subscription-canceled.reason). */
public enum CancelReason {
    REQUESTED_BY_USER,
    REQUESTED_BY_ADMIN,
    PAYMENT_FAILED,
    USER_DEACTIVATED
}
