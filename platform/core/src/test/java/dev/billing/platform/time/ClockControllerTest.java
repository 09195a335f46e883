package dev.billing.platform.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

class ClockControllerTest {

    private final AdjustableClock clock =
            new AdjustableClock(Clock.fixed(Instant.parse("2026-01-31T12:00:00Z"), ZoneOffset.UTC));
    private final WebTestClient http =
            WebTestClient.bindToController(new ClockController(clock)).build();

    @Test
    void advancesTheClockByAnIsoDuration() {
        http.post()
                .uri("/internal/clock/advance")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"duration\":\"P31D\"}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.now")
                .isEqualTo("2026-03-03T12:00:00Z")
                .jsonPath("$.offset")
                .isEqualTo("PT744H");
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-03-03T12:00:00Z"));
    }

    @Test
    void refusesBackwardsAndGarbage() {
        http.post()
                .uri("/internal/clock/advance")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"duration\":\"-PT1H\"}")
                .exchange()
                .expectStatus()
                .isBadRequest();
        http.post()
                .uri("/internal/clock/advance")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"duration\":\"tomorrow\"}")
                .exchange()
                .expectStatus()
                .isBadRequest();
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(clock.offset()).isZero();
    }
}
