package dev.billing.plan.catalog.application;

import dev.billing.plan.catalog.persistence.IdempotencyRepository;
import dev.billing.plan.config.PlanProperties;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Forgets idempotency keys older than {@code plan.idempotency-retention}. Runs in every replica;
 * the delete is idempotent, so replicas need no coordination.
 */
@Component
class IdempotencyJanitor {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyJanitor.class);

    private final IdempotencyRepository keys;
    private final PlanProperties props;
    private final Clock clock;

    IdempotencyJanitor(IdempotencyRepository keys, PlanProperties props, Clock clock) {
        this.keys = keys;
        this.props = props;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${plan.janitor-interval:1h}", initialDelayString = "${plan.janitor-interval:1h}")
    void run() {
        purge().subscribe(null, e -> log.warn("idempotency key clean-up failed", e));
    }

    Mono<Long> purge() {
        return keys.deleteOlderThan(clock.instant().minus(props.idempotencyRetention()))
                .doOnNext(n -> {
                    if (n > 0) {
                        log.info("forgot {} idempotency keys", n);
                    }
                });
    }
}
