package dev.billing.payment.billing.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When a failed renewal charge is retried: each delay counts from the invoice's due date (the
 * period end it renews), Stripe-style ("retry 1, 3 and 5 days after"). With delays [1d, 3d, 5d] an
 * invoice gets 4 attempts; the 4th failure has no next retry and the invoice becomes uncollectible.
 */
public record DunningSchedule(List<Duration> retryDelays) {

    public DunningSchedule {
        retryDelays = List.copyOf(retryDelays);
        Duration previous = Duration.ZERO;
        for (Duration d : retryDelays) {
            if (d.compareTo(previous) <= 0) {
                throw new IllegalArgumentException("retry delays must grow: " + retryDelays);
            }
            previous = d;
        }
    }

    public static DunningSchedule ofDays(int... days) {
        return new DunningSchedule(
                java.util.Arrays.stream(days).mapToObj(Duration::ofDays).toList());
    }

    /** Attempts in all (the first charge plus the retries). */
    public int maxAttempts() {
        return retryDelays.size() + 1;
    }

    /**
     * After {@code failedAttempts} failed attempts on an invoice due at {@code dueAt}: when to try
     * again, or empty when dunning is exhausted. The retry is never before {@code now}.
     */
    public Optional<Instant> nextRetryAt(int failedAttempts, Instant dueAt, Instant now) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be >= 1");
        }
        if (failedAttempts > retryDelays.size()) {
            return Optional.empty();
        }
        Instant next = dueAt.plus(retryDelays.get(failedAttempts - 1));
        return Optional.of(next.isBefore(now) ? now : next);
    }
}
