package dev.billing.subscription.domain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Period arithmetic, in UTC only. Every period end is computed from the billing anchor (the start
 * of the first period), never by adding to the previous end: a subscription anchored on Jan 31
 * ends its periods on Feb 28 (Feb 29 in a leap year), Mar 31, Apr 30, ... and one anchored on
 * Feb 29 ends its yearly periods on Feb 28 in common years and Feb 29 in leap years. The time of
 * day is the anchor's; UTC has no daylight-saving jumps, so a DAY is always 24 hours.
 */
public final class BillingPeriods {

    private BillingPeriods() {}

    /** The end (exclusive) of period {@code n} (1 = the first) of a subscription anchored at {@code anchor}. */
    public static Instant periodEnd(Instant anchor, BillingInterval interval, int intervalCount, long n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0");
        }
        if (intervalCount < 1) {
            throw new IllegalArgumentException("intervalCount must be >= 1");
        }
        ZonedDateTime start = anchor.atZone(ZoneOffset.UTC);
        long units = Math.multiplyExact(n, (long) intervalCount);
        ZonedDateTime end =
                switch (interval) {
                    case DAY -> start.plusDays(units);
                    case WEEK -> start.plusWeeks(units);
                    case MONTH -> start.plusMonths(units);
                    case YEAR -> start.plusYears(units);
                };
        return end.toInstant();
    }

    /** The first period end of the anchor's schedule strictly after {@code after}. */
    public static Instant nextPeriodEnd(Instant anchor, BillingInterval interval, int intervalCount, Instant after) {
        long n = 1;
        Instant end = periodEnd(anchor, interval, intervalCount, n);
        while (!end.isAfter(after)) {
            n++;
            end = periodEnd(anchor, interval, intervalCount, n);
        }
        return end;
    }

    /** The end of a trial of {@code days} days that starts at {@code start}. */
    public static Instant trialEnd(Instant start, int days) {
        return start.atZone(ZoneOffset.UTC).plusDays(days).toInstant();
    }
}
