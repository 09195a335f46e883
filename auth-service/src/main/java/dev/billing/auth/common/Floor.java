package dev.billing.auth.common;

import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * Pads an answer to a minimum duration, so that requests which must not reveal whether an email
 * exists take about the same time either way. Measures elapsed time with {@link System#nanoTime}
 * (a duration, not business time).
 */
public final class Floor {

    private Floor() {}

    public static <T> Mono<T> atLeast(Duration floor, Mono<T> work) {
        return Mono.defer(() -> {
            long start = System.nanoTime();
            return work.flatMap(result -> {
                Duration left = floor.minusNanos(System.nanoTime() - start);
                return left.isNegative() ? Mono.just(result) : Mono.delay(left).thenReturn(result);
            });
        });
    }
}
