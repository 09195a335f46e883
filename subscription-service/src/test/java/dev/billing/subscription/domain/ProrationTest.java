package dev.billing.subscription.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProrationTest {

    static final Instant START = Instant.parse("2027-01-01T00:00:00Z");
    static final Instant END = Instant.parse("2027-01-31T00:00:00Z"); // 30 days

    @Test
    void creditRoundsDownAndChargeRoundsUp() {
        // 10 of 30 days left: 999/3 = 333.0, 1999/3 = 666.33
        Proration p = Proration.of(999, 1999, START, END, Instant.parse("2027-01-21T00:00:00Z"));
        assertThat(p.credit()).isEqualTo(333);
        assertThat(p.charge()).isEqualTo(667);
        assertThat(p.net()).isEqualTo(334);
    }

    @Test
    void atThePeriodStartEverythingIsUnused() {
        Proration p = Proration.of(999, 1999, START, END, START);
        assertThat(p).isEqualTo(new Proration(999, 1999));
    }

    @Test
    void atOrAfterThePeriodEndNothingIsUnused() {
        assertThat(Proration.of(999, 1999, START, END, END)).isEqualTo(Proration.NONE);
        assertThat(Proration.of(999, 1999, START, END, END.plusSeconds(60))).isEqualTo(Proration.NONE);
    }

    @Test
    void oneSecondLeftStillChargesACent() {
        Proration p = Proration.of(999, 1999, START, END, END.minusSeconds(1));
        assertThat(p.credit()).isZero();
        assertThat(p.charge()).isEqualTo(1);
    }

    @Test
    void largeAmountsDoNotOverflow() {
        Proration p = Proration.of(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2, START, END, START.plusSeconds(1));
        assertThat(p.credit()).isPositive();
    }

    @Test
    void anEmptyPeriodIsRejected() {
        assertThatThrownBy(() -> Proration.of(1, 1, START, START, START)).isInstanceOf(IllegalArgumentException.class);
    }
}
