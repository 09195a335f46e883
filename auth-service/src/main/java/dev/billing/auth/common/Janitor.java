package dev.billing.auth.common;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deletes secrets that can no longer be used: refresh tokens, link tokens and login codes expired
 * for more than a day, abandoned OAuth logins. Plain idempotent deletes, safe in every replica.
 */
@Component
public class Janitor {

    private static final Logger log = LoggerFactory.getLogger(Janitor.class);
    private static final Duration GRACE = Duration.ofDays(1);
    private static final List<String> TABLES = List.of("refresh_tokens", "one_time_tokens", "login_codes");

    private final DatabaseClient db;
    private final Clock clock;

    Janitor(DatabaseClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Rows deleted. */
    public Mono<Long> purge() {
        Instant now = clock.instant();
        Flux<Long> expired = Flux.fromIterable(TABLES)
                .concatMap(table -> db.sql("DELETE FROM " + table + " WHERE expires_at < :cutoff")
                        .bind("cutoff", now.minus(GRACE))
                        .fetch()
                        .rowsUpdated());
        Mono<Long> states = db.sql("DELETE FROM oauth_states WHERE expires_at <= :now")
                .bind("now", now)
                .fetch()
                .rowsUpdated();
        Mono<Long> keys = db.sql("DELETE FROM registration_keys WHERE created_at < :cutoff")
                .bind("cutoff", now.minus(GRACE))
                .fetch()
                .rowsUpdated();
        return expired.concatWith(states).concatWith(keys).reduce(0L, Long::sum);
    }

    @Scheduled(fixedDelayString = "${auth.janitor-interval:1h}", initialDelayString = "${auth.janitor-interval:1h}")
    void run() {
        purge().subscribe(
                        n -> {
                            if (n > 0) {
                                log.info("janitor: {} expired tokens, codes and logins deleted", n);
                            }
                        },
                        e -> log.warn("janitor pass failed", e));
    }
}
