package dev.billing.subscription.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BillingPeriodsTest {

    @ParameterizedTest(name = "{0} + {1} month(s) = {2}")
    @CsvSource({
        "2027-01-31T10:00:00Z, 1, 2027-02-28T10:00:00Z",
        "2028-01-31T10:00:00Z, 1, 2028-02-29T10:00:00Z", // leap year
        "2027-01-31T10:00:00Z, 2, 2027-03-31T10:00:00Z", // anchored to the 31st again
        "2027-01-31T10:00:00Z, 3, 2027-04-30T10:00:00Z",
        "2027-01-30T10:00:00Z, 1, 2027-02-28T10:00:00Z",
        "2027-03-31T23:59:59Z, 1, 2027-04-30T23:59:59Z",
        "2026-12-15T00:00:00Z, 1, 2027-01-15T00:00:00Z", // over the year end
        "2027-01-31T10:00:00Z, 12, 2028-01-31T10:00:00Z"
    })
    void monthlyPeriodsAreAnchoredToTheFirstDay(Instant anchor, long n, Instant end) {
        assertThat(BillingPeriods.periodEnd(anchor, BillingInterval.MONTH, 1, n))
                .isEqualTo(end);
    }

    @Test
    void quarterlyCountsIntervals() {
        assertThat(BillingPeriods.periodEnd(Instant.parse("2027-11-30T00:00:00Z"), BillingInterval.MONTH, 3, 1))
                .isEqualTo(Instant.parse("2028-02-29T00:00:00Z"));
    }

    @ParameterizedTest
    @CsvSource({
        "2028-02-29T12:00:00Z, 1, 2029-02-28T12:00:00Z",
        "2028-02-29T12:00:00Z, 4, 2032-02-29T12:00:00Z",
        "2027-06-01T00:00:00Z, 1, 2028-06-01T00:00:00Z"
    })
    void yearlyPeriodsOfALeapDay(Instant anchor, long n, Instant end) {
        assertThat(BillingPeriods.periodEnd(anchor, BillingInterval.YEAR, 1, n)).isEqualTo(end);
    }

    @Test
    void daysAndWeeksAreExact24HourDaysInUtcAcrossDaylightSavingDates() {
        // 2027-03-28 is the EU DST change; UTC has none, a day stays 24 hours
        assertThat(BillingPeriods.periodEnd(Instant.parse("2027-03-27T12:00:00Z"), BillingInterval.DAY, 1, 2))
                .isEqualTo(Instant.parse("2027-03-29T12:00:00Z"));
        assertThat(BillingPeriods.periodEnd(Instant.parse("2027-03-10T01:30:00Z"), BillingInterval.WEEK, 2, 1))
                .isEqualTo(Instant.parse("2027-03-24T01:30:00Z"));
        assertThat(BillingPeriods.trialEnd(Instant.parse("2028-02-28T08:00:00Z"), 2))
                .isEqualTo(Instant.parse("2028-03-01T08:00:00Z"));
    }

    @Test
    void nextPeriodEndAfterAGivenInstant() {
        Instant anchor = Instant.parse("2027-01-31T10:00:00Z");
        assertThat(BillingPeriods.nextPeriodEnd(
                        anchor, BillingInterval.MONTH, 1, Instant.parse("2027-02-28T10:00:00Z")))
                .isEqualTo(Instant.parse("2027-03-31T10:00:00Z"));
        assertThat(BillingPeriods.nextPeriodEnd(anchor, BillingInterval.MONTH, 1, anchor))
                .isEqualTo(Instant.parse("2027-02-28T10:00:00Z"));
    }
}
