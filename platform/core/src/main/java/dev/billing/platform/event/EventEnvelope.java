package dev.billing.platform.event;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A CloudEvents 1.0 event in structured JSON mode, as it travels on Kafka (value = this JSON,
 * key = {@link #subject()}). {@code aggregateversion} is an extension attribute: the version of
 * the aggregate after the change, so that consumers can drop events older than what they hold.
 * The schema lives in {@code contracts/envelope.schema.json}.
 */
public record EventEnvelope(
        String specversion,
        UUID id,
        String type,
        String source,
        Instant time,
        String subject,
        String dataschema,
        String datacontenttype,
        long aggregateversion,
        JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/json";

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(data, "data");
    }

    /** The schema urn of version {@code schemaVersion} of an event type's data. */
    public static String dataschema(String type, int schemaVersion) {
        return "urn:billing:event:" + type + ":" + schemaVersion;
    }
}
