package dev.billing.auth.user.persistence;

import java.util.UUID;

/** The user changed between read and write; the caller may retry. */
public class ConcurrentChangeException extends RuntimeException {
    public ConcurrentChangeException(UUID id) {
        super("user " + id + " was changed concurrently");
    }
}
