package dev.billing.platform.inbox;

import java.time.Clock;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** The ids of events this service has applied. Used inside the transaction of the effect. */
public class Inbox {

    private final DatabaseClient db;
    private final Clock clock;

    public Inbox(DatabaseClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Records the id; emits true the first time, false when it was already applied. */
    public Mono<Boolean> firstDelivery(UUID eventId, String eventType) {
        return db.sql("INSERT INTO inbox (event_id, event_type, received_at) VALUES (:id, :type, :now)"
                        + " ON CONFLICT (event_id) DO NOTHING")
                .bind("id", eventId)
                .bind("type", eventType)
                .bind("now", clock.instant())
                .fetch()
                .rowsUpdated()
                .map(rows -> rows == 1);
    }
}
