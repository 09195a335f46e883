package dev.billing.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutboxPropertiesTest {

    private final OutboxProperties props = new OutboxProperties(
            true,
            Duration.ofMillis(100),
            200,
            Duration.ofSeconds(10),
            Duration.ofSeconds(1),
            Duration.ofMinutes(5),
            Duration.ofDays(7));

    @Test
    void backoffDoublesPerAttemptUpToTheCap() {
        assertThat(props.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(props.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(props.backoff(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(props.backoff(9)).isEqualTo(Duration.ofSeconds(256));
        assertThat(props.backoff(10)).isEqualTo(Duration.ofMinutes(5));
        assertThat(props.backoff(10_000)).isEqualTo(Duration.ofMinutes(5));
    }
}
