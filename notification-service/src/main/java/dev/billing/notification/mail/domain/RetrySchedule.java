package dev.billing.notification.mail.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * When to try a failed mail again: exponential from {@code initial}, capped at {@code max}, and
 * given up after {@code maxAttempts} attempts. Defaults keep trying for about a day, far longer
 * than the Kafka listener's retries, so an SMTP outage ends in delivery once the server is back.
 */
public record RetrySchedule(Duration initial, Duration max, int maxAttempts) {

    public RetrySchedule {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("need 0 < initial <= max and maxAttempts >= 1");
        }
    }

    /** After {@code attempts} failed attempts (1 = the first failed): give up now? */
    public boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }

    /** The next attempt after {@code attempts} failed ones, counted from {@code now}. */
    public Instant nextAttempt(int attempts, Instant now) {
        Duration delay = initial;
        for (int i = 1; i < attempts && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return now.plus(delay.compareTo(max) > 0 ? max : delay);
    }
}
