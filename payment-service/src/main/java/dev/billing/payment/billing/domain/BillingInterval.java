package dev.billing.payment.billing.domain;

import java.time.Instant;
import java.time.ZoneOffset;

/** A plan's billing interval; period arithmetic in UTC with java.time (Jan 31 + 1 month = Feb 28/29). */
public enum BillingInterval {
    DAY,
    WEEK,
    MONTH,
    YEAR;

    /** The end (exclusive) of a period that starts at {@code start} and lasts {@code count} intervals. */
    public Instant periodEnd(Instant start, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("interval count must be >= 1");
        }
        var t = start.atOffset(ZoneOffset.UTC);
        var end =
                switch (this) {
                    case DAY -> t.plusDays(count);
                    case WEEK -> t.plusWeeks(count);
                    case MONTH -> t.plusMonths(count);
                    case YEAR -> t.plusYears(count);
                };
        return end.toInstant();
    }

    /**
     * The end of the period that starts at {@code start}, on a schedule anchored at {@code anchor}
     * (the start of the first period): the first {@code anchor + k × count intervals} after
     * {@code start}. Computed from the anchor, never from the previous end, so a subscription
     * started on Jan 31 renews Feb 28, Mar 31, Apr 30.
     */
    public Instant periodEndAfter(Instant anchor, int count, Instant start) {
        if (start.isBefore(anchor)) {
            throw new IllegalArgumentException("a period cannot start before the anchor");
        }
        for (int k = 1; ; k++) {
            Instant end = periodEnd(anchor, Math.multiplyExact(k, count));
            if (end.isAfter(start)) {
                return end;
            }
        }
    }
}
