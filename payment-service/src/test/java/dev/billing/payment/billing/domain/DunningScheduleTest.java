package dev.billing.payment.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DunningScheduleTest {

    private static final Instant DUE = Instant.parse("2027-01-22T10:00:00Z");
    private final DunningSchedule schedule = DunningSchedule.ofDays(1, 3, 5);

    @Test
    void retriesOneThreeAndFiveDaysAfterTheDueDateThenStops() {
        assertThat(schedule.maxAttempts()).isEqualTo(4);
        assertThat(schedule.nextRetryAt(1, DUE, DUE)).contains(DUE.plus(Duration.ofDays(1)));
        assertThat(schedule.nextRetryAt(2, DUE, DUE.plus(Duration.ofDays(1)))).contains(DUE.plus(Duration.ofDays(3)));
        assertThat(schedule.nextRetryAt(3, DUE, DUE.plus(Duration.ofDays(3)))).contains(DUE.plus(Duration.ofDays(5)));
        assertThat(schedule.nextRetryAt(4, DUE, DUE.plus(Duration.ofDays(5)))).isEmpty();
    }

    @Test
    void aLateAttemptIsNotScheduledInThePast() {
        Instant now = DUE.plus(Duration.ofDays(4));
        assertThat(schedule.nextRetryAt(2, DUE, now)).contains(now);
    }

    @Test
    void delaysMustGrow() {
        assertThatThrownBy(() -> new DunningSchedule(List.of(Duration.ofDays(3), Duration.ofDays(1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> schedule.nextRetryAt(0, DUE, DUE)).isInstanceOf(IllegalArgumentException.class);
    }
}
