package dev.billing.subscription.persistence;

import java.util.UUID;

/** Someone else changed the row between our read and our write. */
public class ConcurrentChangeException extends RuntimeException {
    public ConcurrentChangeException(UUID id) {
        super("subscription " + id + " was changed concurrently");
    }
}
