package dev.billing.platform.it;

import dev.billing.platform.inbox.InboundEvents;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Listeners as a service writes them: parse, dedupe, apply the effect in one transaction. */
@Component
class TestListeners {

    static final String TOPIC = "it-inbox";

    /** Nobody produces to or declares these before a test does (see TopicDiscoveryIT). */
    static final String LATE_TOPIC = "it-declared-late";

    static final String GROWING_TOPIC = "it-growing";

    /** What the plain listeners received, as "partition:value". */
    static final List<String> late = new CopyOnWriteArrayList<>();

    static final List<String> growing = new CopyOnWriteArrayList<>();

    /** Values that make the effect fail: "poison" always, "flaky" on its first attempt. */
    static final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    record Data(String value) {}

    private final InboundEvents events;
    private final DatabaseClient db;

    TestListeners(InboundEvents events, DatabaseClient db) {
        this.events = events;
        this.db = db;
    }

    @KafkaListener(topics = TOPIC)
    void on(ConsumerRecord<String, String> record) {
        events.handle(record, Data.class, (envelope, data) -> {
            int attempt = attempts.computeIfAbsent(data.value(), v -> new AtomicInteger())
                    .incrementAndGet();
            // The effect is written before the failure, so a retry proves it was rolled back.
            return db.sql("INSERT INTO test_effect (id, event_id, value) VALUES (:id, :event, :value)")
                    .bind("id", UUID.randomUUID())
                    .bind("event", envelope.id())
                    .bind("value", data.value())
                    .then()
                    .then(Mono.defer(() -> {
                        if (data.value().startsWith("poison")) {
                            return Mono.error(new IllegalStateException("cannot apply " + data.value()));
                        }
                        if (data.value().startsWith("flaky") && attempt == 1) {
                            return Mono.error(new IllegalStateException("transient failure"));
                        }
                        return Mono.empty();
                    }));
        });
    }

    @KafkaListener(topics = LATE_TOPIC)
    void onLate(ConsumerRecord<String, String> record) {
        late.add(record.partition() + ":" + record.value());
    }

    @KafkaListener(topics = GROWING_TOPIC)
    void onGrowing(ConsumerRecord<String, String> record) {
        growing.add(record.partition() + ":" + record.value());
    }
}
