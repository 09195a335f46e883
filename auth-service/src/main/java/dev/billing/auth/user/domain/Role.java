package dev.billing.auth.user.domain;

/** What a user may do; carried in the access token's {@code roles} claim. */
public enum Role {
    USER,
    ADMIN
}
