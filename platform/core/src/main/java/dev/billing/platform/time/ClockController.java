package dev.billing.platform.time;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * {@code /internal/clock}: read or move this service's clock. Exists only when the clock is
 * adjustable; needs the ADMIN role. The gateway does not route {@code /internal/**}.
 */
@RestController
public class ClockController {

    public record ClockView(Instant now, String offset) {}

    public record Advance(String duration) {}

    private final AdjustableClock clock;

    public ClockController(AdjustableClock clock) {
        this.clock = clock;
    }

    @GetMapping("/internal/clock")
    Mono<ClockView> now() {
        return Mono.fromSupplier(this::view);
    }

    @PostMapping("/internal/clock/advance")
    Mono<ClockView> advance(@RequestBody Advance request) {
        Duration duration;
        try {
            duration = Duration.parse(request.duration());
        } catch (DateTimeParseException | NullPointerException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "duration must be ISO-8601, e.g. PT1H or P31D");
        }
        if (duration.isNegative()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "time only moves forward");
        }
        clock.advance(duration);
        return Mono.fromSupplier(this::view);
    }

    private ClockView view() {
        return new ClockView(clock.instant(), clock.offset().toString());
    }
}
