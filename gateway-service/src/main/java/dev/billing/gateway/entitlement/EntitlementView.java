package dev.billing.gateway.entitlement;

import dev.billing.platform.event.EventCodec;
import dev.billing.platform.event.EventEnvelope;
import dev.billing.platform.event.MalformedEventException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's in-memory copy of every user's entitlement, built from the compacted
 * {@code entitlements-changed} topic (key = user id). Keeps the newest event per user by
 * {@code aggregateversion}; an event whose version is not above the one held is ignored (an older
 * event arriving late). A message that is not a valid {@code entitlements-changed} envelope is
 * logged, counted ({@code gateway_entitlements_events_total{outcome="malformed"}}) and skipped. A
 * tombstone (null value) forgets the user.
 */
public class EntitlementView {

    private static final Logger log = LoggerFactory.getLogger(EntitlementView.class);

    static final String TOPIC = "entitlements-changed";

    enum Outcome {
        APPLIED,
        STALE,
        MALFORMED,
        DELETED
    }

    /** The fields of {@code entitlements-changed} v1 the gateway reads. */
    record EntitlementsChanged(
            UUID userId,
            @Nullable UUID subscriptionId,
            @Nullable UUID planId,
            String status,
            @Nullable Map<String, Object> features,
            @Nullable Instant validUntil) {}

    private final Map<String, Entitlement> byUser = new ConcurrentHashMap<>();
    private final EventCodec codec;
    private final Map<Outcome, Counter> counters = new ConcurrentHashMap<>();

    public EntitlementView(EventCodec codec, MeterRegistry meters) {
        this.codec = codec;
        for (Outcome outcome : Outcome.values()) {
            counters.put(
                    outcome,
                    Counter.builder("gateway.entitlements.events")
                            .description("entitlements-changed messages read, by outcome")
                            .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                            .register(meters));
        }
        Gauge.builder("gateway.entitlements.users", byUser, Map::size)
                .description("users in the gateway's entitlement view")
                .register(meters);
    }

    public Optional<Entitlement> get(String userId) {
        return Optional.ofNullable(byUser.get(userId));
    }

    public int size() {
        return byUser.size();
    }

    /** Applies one message of the topic (key = user id, value = the envelope JSON). */
    Outcome apply(@Nullable String key, @Nullable String value) {
        Outcome outcome = decide(key, value);
        counters.get(outcome).increment();
        return outcome;
    }

    private Outcome decide(@Nullable String key, @Nullable String value) {
        if (value == null) {
            if (key == null) {
                log.warn("skipped an {} tombstone without a key", TOPIC);
                return Outcome.MALFORMED;
            }
            byUser.remove(key);
            return Outcome.DELETED;
        }
        Entitlement next;
        try {
            next = read(value);
        } catch (MalformedEventException | IllegalArgumentException | NullPointerException e) {
            // never log the value itself: only where it was and why
            log.warn("skipped a malformed {} message (key {}): {}", TOPIC, key, e.getMessage());
            return Outcome.MALFORMED;
        }
        boolean[] applied = {false};
        byUser.compute(next.userId(), (user, held) -> {
            if (held != null && held.version() >= next.version()) {
                return held;
            }
            applied[0] = true;
            return next;
        });
        if (!applied[0]) {
            log.debug("ignored a stale {} for user {} (version {})", TOPIC, next.userId(), next.version());
            return Outcome.STALE;
        }
        return Outcome.APPLIED;
    }

    private Entitlement read(String value) {
        EventEnvelope envelope = codec.parse(value);
        if (!TOPIC.equals(envelope.type())) {
            throw new MalformedEventException("type is " + envelope.type());
        }
        if (!EventEnvelope.dataschema(TOPIC, 1).equals(envelope.dataschema())) {
            throw new MalformedEventException("unsupported dataschema " + envelope.dataschema());
        }
        EntitlementsChanged data = codec.data(envelope, EntitlementsChanged.class);
        if (data.userId() == null || data.status() == null) {
            throw new MalformedEventException("userId and status are required");
        }
        if (!data.userId().toString().equals(envelope.subject())) {
            throw new MalformedEventException("subject " + envelope.subject() + " is not the userId");
        }
        return new Entitlement(
                data.userId().toString(),
                data.status(),
                data.planId() == null ? null : data.planId().toString(),
                data.features() == null ? Map.of() : data.features(),
                data.validUntil(),
                envelope.aggregateversion());
    }
}
