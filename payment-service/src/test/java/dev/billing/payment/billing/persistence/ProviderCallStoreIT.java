package dev.billing.payment.billing.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.payment.PaymentIT;
import dev.billing.payment.billing.persistence.ProviderCallStore.CallRow;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** The one-statement insert-or-read of provider calls, against real Postgres, races included. */
class ProviderCallStoreIT extends PaymentIT {

    @Autowired
    ProviderCallStore calls;

    @Autowired
    TransactionalOperator tx;

    @Test
    void aNewKeyIsRecordedPendingAndAKnownKeyAnswersTheRowHeld() {
        String key = "customer:" + UUID.randomUUID();
        Instant now = clock.instant();
        CallRow first = calls.begin(key, "CUSTOMER", UUID.randomUUID(), null, "first", now)
                .block(Duration.ofSeconds(10));
        CallRow again = calls.begin(key, "CUSTOMER", UUID.randomUUID(), null, "second", now)
                .block(Duration.ofSeconds(10));
        assertThat(first.status()).isEqualTo("PENDING");
        assertThat(first.request()).isEqualTo("first");
        assertThat(again).isEqualTo(first);
    }

    /**
     * Another writer inserts the same key and commits while our insert waits on it: the insert
     * does nothing and the row is invisible to that statement's snapshot, so it is read again.
     */
    @Test
    void aKeyCommittedByAnotherWriterWhileTheInsertWaitedIsReadBack() throws Exception {
        String key = "customer:" + UUID.randomUUID();
        Instant now = clock.instant();
        AtomicReference<CompletableFuture<CallRow>> racing = new AtomicReference<>();
        tx.transactional(db.sql("INSERT INTO provider_calls (idempotency_key, operation, request, status,"
                                + " created_at, updated_at) VALUES (:key, 'CUSTOMER', 'theirs', 'PENDING', :now, :now)")
                        .bind("key", key)
                        .bind("now", now)
                        .then()
                        // subscribed apart from this chain: no transaction, a connection of its own
                        .then(Mono.fromRunnable(() -> racing.set(calls.begin(key, "CUSTOMER", null, null, "ours", now)
                                .toFuture())))
                        .then(Mono.delay(Duration.ofMillis(500)))
                        .then(Mono.fromRunnable(() -> assertThat(racing.get()).isNotDone())))
                .block(Duration.ofSeconds(10));

        CallRow held = racing.get().get(10, TimeUnit.SECONDS);
        assertThat(held).isNotNull();
        assertThat(held.request()).isEqualTo("theirs");
    }
}
