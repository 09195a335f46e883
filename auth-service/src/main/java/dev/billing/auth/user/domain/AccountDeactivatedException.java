package dev.billing.auth.user.domain;

import java.util.UUID;

/** A change was asked of a deactivated account. */
public class AccountDeactivatedException extends RuntimeException {
    public AccountDeactivatedException(UUID id) {
        super("user " + id + " is deactivated");
    }
}
