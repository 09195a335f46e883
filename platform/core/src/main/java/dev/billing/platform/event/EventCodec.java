package dev.billing.platform.event;

import java.time.Clock;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Turns outbound events into envelopes and JSON, and JSON back into envelopes. */
public class EventCodec {

    private final JsonMapper json;
    private final Clock clock;
    private final String source;

    public EventCodec(JsonMapper json, Clock clock, String source) {
        this.json = json;
        this.clock = clock;
        this.source = source;
    }

    public EventEnvelope envelope(OutboundEvent event) {
        return new EventEnvelope(
                EventEnvelope.SPEC_VERSION,
                UUID.randomUUID(),
                event.type(),
                source,
                clock.instant(),
                event.subject(),
                EventEnvelope.dataschema(event.type(), event.schemaVersion()),
                EventEnvelope.CONTENT_TYPE,
                event.aggregateVersion(),
                json.valueToTree(event.data()));
    }

    public String toJson(EventEnvelope envelope) {
        return json.writeValueAsString(envelope);
    }

    /** Parses a message value; anything that is not a well-formed envelope is a {@link MalformedEventException}. */
    public EventEnvelope parse(String value) {
        if (value == null || value.isBlank()) {
            throw new MalformedEventException("empty message value");
        }
        try {
            EventEnvelope envelope = json.readValue(value, EventEnvelope.class);
            if (!EventEnvelope.SPEC_VERSION.equals(envelope.specversion())) {
                throw new MalformedEventException("unsupported specversion " + envelope.specversion());
            }
            return envelope;
        } catch (JacksonException | NullPointerException e) {
            throw new MalformedEventException("not a CloudEvents envelope: " + e.getMessage());
        }
    }

    public <T> T data(EventEnvelope envelope, Class<T> type) {
        try {
            return json.treeToValue(envelope.data(), type);
        } catch (JacksonException e) {
            throw new MalformedEventException("data of " + envelope.type() + " " + envelope.id() + " does not match "
                    + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }

    public JsonNode tree(Object value) {
        return json.valueToTree(value);
    }
}
