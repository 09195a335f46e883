package dev.billing.notification.mail.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    final RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(30), Duration.ofMinutes(5), 5);

    @Test
    void waitsDoubleAfterEachFailureUpToTheCap() {
        assertThat(schedule.nextAttempt(1, NOW)).isEqualTo(NOW.plusSeconds(30));
        assertThat(schedule.nextAttempt(2, NOW)).isEqualTo(NOW.plusSeconds(60));
        assertThat(schedule.nextAttempt(3, NOW)).isEqualTo(NOW.plusSeconds(120));
        assertThat(schedule.nextAttempt(4, NOW)).isEqualTo(NOW.plusSeconds(240));
        assertThat(schedule.nextAttempt(5, NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(schedule.nextAttempt(1000, NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
    }

    @Test
    void givesUpAtTheLastAttempt() {
        assertThat(schedule.exhausted(4)).isFalse();
        assertThat(schedule.exhausted(5)).isTrue();
        assertThat(schedule.exhausted(6)).isTrue();
    }

    @Test
    void refusesNonsenseSettings() {
        assertThatThrownBy(() -> new RetrySchedule(Duration.ZERO, Duration.ofMinutes(1), 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySchedule(Duration.ofMinutes(2), Duration.ofMinutes(1), 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySchedule(Duration.ofMinutes(1), Duration.ofMinutes(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
