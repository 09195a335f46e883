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
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** The one-statement insert-or-read of provider calls, against real Postgres, races included. */
class ProviderCallStoreIT extends PaymentIT {

    @Autowired
    ProviderCallStore calls;

    @Autowired
    BillingStore store;

    @Autowired
    TransactionalOperator tx;

    /**
     * Runs {@code theirs} in a transaction that stays open 500 ms; {@code ours} is started (on its
     * own connection) right after {@code theirs} wrote, so it waits on that row; returns what
     * {@code ours} answered once the other transaction committed.
     */
    private <T> T racingACommit(Mono<Void> theirs, Supplier<Mono<T>> ours) throws Exception {
        AtomicReference<CompletableFuture<T>> racing = new AtomicReference<>();
        tx.transactional(theirs
                        // subscribed apart from this chain: no transaction, a connection of its own
                        .then(Mono.fromRunnable(() -> racing.set(ours.get().toFuture())))
                        .then(Mono.delay(Duration.ofMillis(500)))
                        .then(Mono.fromRunnable(() -> assertThat(racing.get()).isNotDone())))
                .block(Duration.ofSeconds(10));
        return racing.get().get(10, TimeUnit.SECONDS);
    }

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
        CallRow held = racingACommit(
                db.sql("INSERT INTO provider_calls (idempotency_key, operation, request, status, created_at,"
                                + " updated_at) VALUES (:key, 'CUSTOMER', 'theirs', 'PENDING', :now, :now)")
                        .bind("key", key)
                        .bind("now", now)
                        .then(),
                () -> calls.begin(key, "CUSTOMER", null, null, "ours", now));
        assertThat(held).isNotNull();
        assertThat(held.request()).isEqualTo("theirs");
    }

    @Test
    void aCheckoutCommittedByAnotherWriterWhileTheInsertWaitedIsReadBack() throws Exception {
        UUID sub = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        UUID theirSession = UUID.randomUUID();
        Instant now = clock.instant();
        CallRow held = racingACommit(
                db.sql("INSERT INTO provider_calls (idempotency_key, operation, user_id, subscription_id,"
                                + " session_id, expires_at, status, created_at, updated_at) VALUES (:key, 'CHECKOUT',"
                                + " :user, :sub, :session, :now, 'PENDING', :now, :now)")
                        .bind("key", "checkout:" + theirSession)
                        .bind("user", user)
                        .bind("sub", sub)
                        .bind("session", theirSession)
                        .bind("now", now)
                        .then(),
                () -> calls.beginCheckout(sub, user, UUID.randomUUID(), now.plusSeconds(3600), now));
        assertThat(held).isNotNull();
        assertThat(held.sessionId()).isEqualTo(theirSession);
    }

    @Test
    void aCustomerCommittedByAnotherWriterWhileTheInsertWaitedIsReadBack() throws Exception {
        UUID user = UUID.randomUUID();
        UUID theirs = UUID.randomUUID();
        Instant now = clock.instant();
        var held = racingACommit(
                db.sql("INSERT INTO customers (id, user_id, email, provider_reference, created_at, updated_at)"
                                + " VALUES (:id, :user, 'theirs@example.com', 'cus_theirs', :now, :now)")
                        .bind("id", theirs)
                        .bind("user", user)
                        .bind("now", now)
                        .then(),
                () -> store.ensureCustomer(user, "ours@example.com", "cus_ours", now));
        assertThat(held).isNotNull();
        assertThat(held.id()).isEqualTo(theirs);
        assertThat(store.ensureCustomer(user, "again@example.com", "cus_again", now)
                        .block(Duration.ofSeconds(10))
                        .id())
                .isEqualTo(theirs);
    }
}
