package dev.billing.platform.event;

/** A message that can never be processed, however often it is retried: it goes straight to the DLT. */
public class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message) {
        super(message);
    }
}
