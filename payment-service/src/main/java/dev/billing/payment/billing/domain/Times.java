package dev.billing.payment.billing.domain;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Now, at the precision Postgres keeps (microseconds), so that a time written to an event equals
 * the same time read back from the database later (a renewal starts exactly where the paid period ended).
 */
public final class Times {

    private Times() {}

    public static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
