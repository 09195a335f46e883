package dev.billing.platform.outbox;

import dev.billing.platform.event.EventCodec;
import dev.billing.platform.event.EventEnvelope;
import dev.billing.platform.event.OutboundEvent;
import java.time.Clock;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.NoTransactionException;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Mono;

/**
 * Records events in the outbox table inside the caller's R2DBC transaction. It refuses to run
 * outside one: an event written apart from its state change is exactly the dual write the outbox
 * exists to prevent.
 */
public class Outbox {

    private final DatabaseClient db;
    private final EventCodec codec;
    private final Clock clock;
    private final Runnable afterCommit;

    public Outbox(DatabaseClient db, EventCodec codec, Clock clock, Runnable afterCommit) {
        this.db = db;
        this.codec = codec;
        this.clock = clock;
        this.afterCommit = afterCommit;
    }

    /** Records the events; returns their envelopes (ids, times) as written. */
    public Mono<List<EventEnvelope>> record(List<OutboundEvent> events) {
        return TransactionSynchronizationManager.forCurrentTransaction()
                .onErrorMap(NoTransactionException.class, Outbox::outsideTransaction)
                .flatMap(tx -> {
                    if (!tx.isActualTransactionActive()) {
                        return Mono.error(outsideTransaction(null));
                    }
                    tx.registerSynchronization(new TransactionSynchronization() {
                        @Override
                        public Mono<Void> afterCommit() {
                            return Mono.fromRunnable(Outbox.this.afterCommit);
                        }
                    });
                    return insert(events);
                });
    }

    public Mono<EventEnvelope> record(OutboundEvent event) {
        return record(List.of(event)).map(List::getFirst);
    }

    /** One statement for all the events (one round trip), rows in the order given. */
    private Mono<List<EventEnvelope>> insert(List<OutboundEvent> events) {
        if (events.isEmpty()) {
            return Mono.just(List.of());
        }
        List<EventEnvelope> envelopes = events.stream().map(codec::envelope).toList();
        var now = clock.instant();
        StringBuilder sql = new StringBuilder(
                "INSERT INTO outbox (id, topic, msg_key, payload, created_at, next_attempt_at) VALUES ");
        for (int i = 0; i < envelopes.size(); i++) {
            sql.append(i == 0 ? "" : ", ")
                    .append("(:id")
                    .append(i)
                    .append(", :topic")
                    .append(i)
                    .append(", :key")
                    .append(i)
                    .append(", :payload")
                    .append(i)
                    .append(", :now, :now)");
        }
        var spec = db.sql(sql.toString()).bind("now", now);
        for (int i = 0; i < envelopes.size(); i++) {
            EventEnvelope envelope = envelopes.get(i);
            spec = spec.bind("id" + i, envelope.id())
                    .bind("topic" + i, envelope.type())
                    .bind("key" + i, envelope.subject())
                    .bind("payload" + i, codec.toJson(envelope));
        }
        return spec.then().thenReturn(envelopes);
    }

    private static IllegalStateException outsideTransaction(Throwable cause) {
        return new IllegalStateException(
                "Outbox.record must run inside the transaction that changes the aggregate", cause);
    }
}
