package dev.billing.platform.test.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

// Makes a test fail when an event a service produces drifts from its documented schema in the contracts module.
public final class EventSchemas {

    private static final String ROOT = "contracts/";
    private static final Pattern DATASCHEMA = Pattern.compile("^urn:billing:event:([a-z-]+):([0-9]+)$");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .pathType(PathType.JSON_PATH)
            .locale(Locale.ENGLISH)
            .build();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private EventSchemas() {}

    /**
     * What is wrong with an event as it travels on Kafka (the message value): the envelope against
     * {@code envelope.schema.json}, its {@code data} against the schema its {@code dataschema}
     * names, and their agreement with {@code topics.json} (known type, producing service, subject =
     * the data's key). Each message starts with the JSON path it is about, e.g. {@code
     * $.data.amount: string found, integer expected}. Empty when the event is valid.
     */
    public static List<String> violations(String envelopeJson) {
        JsonNode envelope;
        try {
            envelope = JSON.readTree(envelopeJson == null ? "" : envelopeJson);
        } catch (JsonProcessingException e) {
            return List.of("$: not a JSON document: " + e.getOriginalMessage());
        }
        if (envelope == null || !envelope.isObject()) {
            return List.of("$: the envelope must be a JSON object");
        }
        List<String> violations = new ArrayList<>();
        for (ValidationMessage message : schema("envelope.schema.json").validate(envelope)) {
            violations.add(message.getMessage());
        }

        String type = text(envelope, "type");
        Topic topic = type == null ? null : Topics.BY_TYPE.get(type);
        if (topic == null) {
            if (type != null) {
                violations.add("$.type: unknown event type '" + type + "' (not in " + ROOT + "topics.json)");
            }
            return violations;
        }

        String source = text(envelope, "source");
        if (source != null && !source.equals(topic.producer())) {
            violations.add("$.source: '" + source + "' does not publish " + type + " (its producer is "
                    + topic.producer() + ")");
        }

        String dataSchema = topic.schema();
        Matcher urn = DATASCHEMA.matcher(String.valueOf(text(envelope, "dataschema")));
        if (urn.matches()) {
            if (!urn.group(1).equals(type)) {
                violations.add("$.dataschema: names event type '" + urn.group(1) + "' but type is '" + type + "'");
            } else {
                dataSchema = "events/" + type + ".v" + urn.group(2) + ".schema.json";
                if (resource(dataSchema) == null) {
                    violations.add("$.dataschema: no schema " + ROOT + dataSchema + " for version " + urn.group(2)
                            + " of " + type);
                    return violations;
                }
            }
        }

        JsonNode data = envelope.get("data");
        if (data == null || !data.isObject()) {
            return violations;
        }
        for (ValidationMessage message : schema(dataSchema).validate(data)) {
            violations.add(underData(message));
        }

        String subject = text(envelope, "subject");
        String key = text(data, topic.key());
        if (subject != null && key != null && !subject.equals(key)) {
            violations.add("$.subject: '" + subject + "' must equal $.data." + topic.key() + " '" + key
                    + "' (the aggregate id, also the Kafka key)");
        }
        return violations;
    }

    /** Throws an {@link AssertionError} listing every violation when the event is not valid. */
    public static void assertValid(String envelopeJson) {
        List<String> violations = violations(envelopeJson);
        if (!violations.isEmpty()) {
            throw new AssertionError("Event does not match its contract (" + violations.size() + " violation(s)):\n  "
                    + String.join("\n  ", violations) + "\nEvent: " + envelopeJson);
        }
    }

    /** The event types (= topic names) listed in {@code topics.json}, in its order. */
    public static Set<String> eventTypes() {
        return Topics.BY_TYPE.keySet();
    }

    /** The documented example envelope of an event type ({@code examples/<type>.json}), e.g. as consumer input. */
    public static String example(String type) {
        String example = resource("examples/" + type + ".json");
        if (example == null) {
            throw new IllegalArgumentException("no example " + ROOT + "examples/" + type + ".json");
        }
        return example;
    }

    /** The data schema's messages are about the data node: make their paths start at the envelope. */
    private static String underData(ValidationMessage message) {
        String location = message.getInstanceLocation().toString();
        String text = message.getMessage();
        String rest = text.startsWith(location) ? text.substring(location.length()) : ": " + text;
        return "$.data" + location.substring(1) + rest;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static JsonSchema schema(String path) {
        return SCHEMAS.computeIfAbsent(path, p -> FACTORY.getSchema(tree(p), CONFIG));
    }

    private static JsonNode tree(String path) {
        String text = resource(path);
        if (text == null) {
            throw new IllegalStateException("missing " + ROOT + path + " on the classpath (module contracts)");
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(ROOT + path + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String resource(String path) {
        try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(ROOT + path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Topic(String name, String producer, String key, String schema) {}

    /** topics.json, read once on first use. */
    private static final class Topics {
        static final Map<String, Topic> BY_TYPE = load();

        private static Map<String, Topic> load() {
            Map<String, Topic> topics = new LinkedHashMap<>();
            for (JsonNode topic : tree("topics.json").path("topics")) {
                Topic t = new Topic(
                        topic.path("name").asText(),
                        topic.path("producer").asText(),
                        topic.path("key").asText(),
                        topic.path("schema").asText());
                topics.put(t.name(), t);
            }
            return Collections.unmodifiableMap(topics);
        }
    }
}
