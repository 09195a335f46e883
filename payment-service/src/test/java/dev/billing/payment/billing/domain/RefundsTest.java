package dev.billing.payment.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RefundsTest {

    @Test
    void noAmountRefundsWhatRemains() {
        assertThat(Refunds.decide(1999, 0, null)).isEqualTo(1999);
        assertThat(Refunds.decide(1999, 500, null)).isEqualTo(1499);
    }

    @Test
    void partialRefundsUpToTheRemainder() {
        assertThat(Refunds.decide(1999, 500, 1499L)).isEqualTo(1499);
        assertThatThrownBy(() -> Refunds.decide(1999, 500, 1500L)).isInstanceOf(Refunds.TooLarge.class);
    }

    @Test
    void aFullyRefundedPaymentHasNothingLeft() {
        assertThatThrownBy(() -> Refunds.decide(1999, 1999, null)).isInstanceOf(Refunds.TooLarge.class);
        assertThatThrownBy(() -> Refunds.decide(1999, 0, 0L)).isInstanceOf(IllegalArgumentException.class);
    }
}
