package dev.billing.payment.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BillingIntervalTest {

    @Test
    void monthEndsClampToTheShorterMonth() {
        assertThat(BillingInterval.MONTH.periodEnd(Instant.parse("2027-01-31T10:00:00Z"), 1))
                .isEqualTo(Instant.parse("2027-02-28T10:00:00Z"));
        assertThat(BillingInterval.MONTH.periodEnd(Instant.parse("2028-01-31T10:00:00Z"), 1))
                .isEqualTo(Instant.parse("2028-02-29T10:00:00Z"));
    }

    @Test
    void quarterlyAndYearlyAcrossLeapDays() {
        assertThat(BillingInterval.MONTH.periodEnd(Instant.parse("2026-11-30T00:00:00Z"), 3))
                .isEqualTo(Instant.parse("2027-02-28T00:00:00Z"));
        assertThat(BillingInterval.YEAR.periodEnd(Instant.parse("2028-02-29T12:00:00Z"), 1))
                .isEqualTo(Instant.parse("2029-02-28T12:00:00Z"));
    }

    @Test
    void daysAndWeeksAreExactInUtcWhateverTheDstOfAnyZone() {
        // 2027-03-28 is the EU DST switch: UTC arithmetic keeps 24 h days
        assertThat(BillingInterval.DAY.periodEnd(Instant.parse("2027-03-27T12:00:00Z"), 2))
                .isEqualTo(Instant.parse("2027-03-29T12:00:00Z"));
        assertThat(BillingInterval.WEEK.periodEnd(Instant.parse("2027-03-25T00:00:00Z"), 1))
                .isEqualTo(Instant.parse("2027-04-01T00:00:00Z"));
    }

    @Test
    void renewalsFollowTheAnchorNotThePreviousEnd() {
        Instant anchor = Instant.parse("2027-01-31T10:00:00Z");
        Instant feb = BillingInterval.MONTH.periodEndAfter(anchor, 1, anchor);
        assertThat(feb).isEqualTo(Instant.parse("2027-02-28T10:00:00Z"));
        Instant mar = BillingInterval.MONTH.periodEndAfter(anchor, 1, feb);
        assertThat(mar).isEqualTo(Instant.parse("2027-03-31T10:00:00Z"));
        assertThat(BillingInterval.MONTH.periodEndAfter(anchor, 1, mar))
                .isEqualTo(Instant.parse("2027-04-30T10:00:00Z"));
        assertThat(BillingInterval.MONTH.periodEndAfter(anchor, 3, anchor))
                .isEqualTo(Instant.parse("2027-04-30T10:00:00Z"));
        assertThatThrownBy(() -> BillingInterval.MONTH.periodEndAfter(anchor, 1, anchor.minusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countMustBePositive() {
        assertThatThrownBy(() -> BillingInterval.MONTH.periodEnd(Instant.EPOCH, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
