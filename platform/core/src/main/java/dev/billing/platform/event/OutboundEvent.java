package dev.billing.platform.event;

import java.util.Objects;

/**
 * What a use case hands to the outbox: the event type (= topic), the aggregate it is about (=
 * Kafka key and CloudEvents subject), the aggregate's version after the change, and the data
 * (any object Jackson serialises to the documented schema).
 */
public record OutboundEvent(String type, String subject, long aggregateVersion, Object data, int schemaVersion) {

    public OutboundEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(data, "data");
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion must be >= 1");
        }
    }

    public static OutboundEvent of(String type, Object subject, long aggregateVersion, Object data) {
        return new OutboundEvent(type, String.valueOf(subject), aggregateVersion, data, 1);
    }
}
