package dev.billing.platform.inbox;

import dev.billing.platform.event.EventEnvelope;
import reactor.core.publisher.Mono;

/** The effect of one event, run in the transaction that records its id in the inbox. */
@FunctionalInterface
public interface EventHandler<T> {
    Mono<Void> apply(EventEnvelope envelope, T data);
}
