package dev.billing.platform.test.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<String> eventTypes() {
        return EventSchemas.eventTypes().stream();
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void everyExampleIsValid(String type) {
        assertThat(EventSchemas.violations(EventSchemas.example(type))).isEmpty();
        assertThatCode(() -> EventSchemas.assertValid(EventSchemas.example(type)))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void everyExampleIsOfItsOwnType(String type) throws IOException {
        JsonNode example = JSON.readTree(EventSchemas.example(type));
        assertThat(example.path("type").asText()).isEqualTo(type);
        assertThat(example.path("dataschema").asText()).isEqualTo("urn:billing:event:" + type + ":1");
    }

    @Test
    void topicsSchemasAndExamplesMatchOneToOne() throws Exception {
        Set<String> types = EventSchemas.eventTypes();
        assertThat(types).hasSize(22).doesNotHaveDuplicates();

        Set<String> schemaTypes = new TreeSet<>();
        for (String file : listResources("contracts/events")) {
            assertThat(file).matches("[a-z-]+\\.v[0-9]+\\.schema\\.json");
            schemaTypes.add(file.substring(0, file.indexOf(".v")));
        }
        Set<String> exampleTypes = new TreeSet<>();
        for (String file : listResources("contracts/examples")) {
            assertThat(file).endsWith(".json");
            exampleTypes.add(file.substring(0, file.length() - ".json".length()));
        }
        assertThat(schemaTypes).containsExactlyInAnyOrderElementsOf(types);
        assertThat(exampleTypes).containsExactlyInAnyOrderElementsOf(types);
    }

    @Test
    void topicsJsonDescribesEveryTopic() throws IOException {
        JsonNode topics = JSON.readTree(resource("contracts/topics.json"));
        assertThat(topics.path("deadLetterSuffix").asText()).isEqualTo("-dlt");
        Set<String> compacted = new TreeSet<>();
        for (JsonNode topic : topics.path("topics")) {
            String name = topic.path("name").asText();
            assertThat(topic.path("producer").asText())
                    .isIn("auth-service", "plan-service", "subscription-service", "payment-service");
            assertThat(topic.path("consumers")).isNotEmpty();
            assertThat(topic.path("schema").asText()).isEqualTo("events/" + name + ".v1.schema.json");
            assertThat(resource("contracts/" + topic.path("schema").asText())).isNotNull();
            JsonNode schema =
                    JSON.readTree(resource("contracts/" + topic.path("schema").asText()));
            assertThat(schema.path("properties").has(topic.path("key").asText()))
                    .as("key %s of %s is a data property", topic.path("key").asText(), name)
                    .isTrue();
            if (topic.path("compacted").booleanValue()) {
                compacted.add(name);
            }
        }
        assertThat(compacted).containsExactly("entitlements-changed", "plan-published");
    }

    /** The house rules of a data schema: strict, every field required (nullable when optional), described. */
    @ParameterizedTest
    @MethodSource("eventTypes")
    void everyDataSchemaIsStrictAndDocumented(String type) throws IOException {
        String path = "contracts/events/" + type + ".v1.schema.json";
        JsonNode schema = JSON.readTree(resource(path));

        JsonSchema metaSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertThat(metaSchema.validate(schema))
                .as("%s against the 2020-12 meta-schema", path)
                .isEmpty();

        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("$id").asText()).isEqualTo("urn:billing:event:" + type + ":1");
        assertThat(schema.path("type").asText()).isEqualTo("object");
        assertThat(schema.path("additionalProperties").isBoolean()
                        && !schema.path("additionalProperties").booleanValue())
                .as("%s has additionalProperties false", path)
                .isTrue();
        List<String> properties = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(properties::add);
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        assertThat(required).as("%s requires every property", path).containsExactlyElementsOf(properties);
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            assertThat(property.getValue().path("description").asText())
                    .as("description of %s in %s", property.getKey(), path)
                    .isNotBlank();
        }
    }

    @Test
    void envelopeSchemaIsAValidSchema() throws IOException {
        JsonSchema metaSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertThat(metaSchema.validate(JSON.readTree(resource("contracts/envelope.schema.json"))))
                .isEmpty();
    }

    @Nested
    class DataDrift {

        @Test
        void anExtraFieldIsAViolation() {
            assertThat(violations("payment-succeeded", e -> data(e).put("couponCode", "BLACKFRIDAY")))
                    .singleElement()
                    .asString()
                    .startsWith("$.data:")
                    .contains("'couponCode'", "not defined in the schema");
        }

        @Test
        void aMissingRequiredFieldIsAViolation() {
            assertThat(violations("payment-succeeded", e -> data(e).remove("invoiceId")))
                    .singleElement()
                    .asString()
                    .startsWith("$.data:")
                    .contains("required property 'invoiceId' not found");
        }

        @Test
        void aRenamedFieldIsTwoViolations() {
            assertThat(violations("payment-succeeded", e -> data(e).set("amountCents", data(e).remove("amount"))))
                    .hasSize(2)
                    .anySatisfy(m -> assertThat(m).contains("required property 'amount' not found"))
                    .anySatisfy(m -> assertThat(m).contains("'amountCents'", "not defined"));
        }

        @Test
        void anAmountAsAStringIsAViolation() {
            assertThat(violations("payment-succeeded", e -> data(e).put("amount", "19.99")))
                    .singleElement()
                    .asString()
                    .startsWith("$.data.amount:")
                    .contains("string found, integer expected");
        }

        @Test
        void anAmountInMajorUnitsIsAViolation() {
            assertThat(violations("payment-succeeded", e -> data(e).put("amount", 19.99)))
                    .singleElement()
                    .asString()
                    .startsWith("$.data.amount:");
        }

        @Test
        void aNegativeAmountIsAViolation() {
            assertThat(violations("refund-issued", e -> data(e).put("amount", -1999)))
                    .singleElement()
                    .asString()
                    .startsWith("$.data.amount:")
                    .contains("minimum value of 0");
        }

        @Test
        void aBadCurrencyIsAViolation() {
            assertThat(violations("payment-succeeded", e -> data(e).put("currency", "usd")))
                    .singleElement()
                    .asString()
                    .startsWith("$.data.currency:")
                    .contains("^[A-Z]{3}$");
        }

        @Test
        void aBadUuidIsAViolation() {
            assertThat(violations("payment-succeeded", e -> data(e).put("invoiceId", "inv_1QhX2bC3")))
                    .singleElement()
                    .asString()
                    .startsWith("$.data.invoiceId:")
                    .contains("uuid");
        }

        @Test
        void aBadDateTimeIsAViolation() {
            assertThat(violations("payment-succeeded", e -> data(e).put("periodEnd", "22/12/2026")))
                    .isNotEmpty()
                    .allSatisfy(m -> assertThat(m).startsWith("$.data.periodEnd:"))
                    .anySatisfy(m -> assertThat(m).contains("date-time"));
        }

        @Test
        void aTimeThatIsNotUtcIsAViolation() {
            assertThat(violations("payment-succeeded", e -> data(e).put("paidAt", "2026-11-22T11:03:05+01:00")))
                    .singleElement()
                    .asString()
                    .startsWith("$.data.paidAt:")
                    .contains("does not match the regex pattern");
        }

        @Test
        void anUnknownEnumValueIsAViolation() {
            assertThat(violations("subscription-created", e -> data(e).put("status", "PENDING")))
                    .singleElement()
                    .asString()
                    .startsWith("$.data.status:")
                    .contains("enumeration");
        }

        @Test
        void aNullInARequiredNonNullableFieldIsAViolation() {
            assertThat(violations("payment-succeeded", e -> data(e).putNull("periodStart")))
                    .singleElement()
                    .asString()
                    .startsWith("$.data.periodStart:")
                    .contains("null found, string expected");
        }

        @Test
        void aNullInANullableFieldIsValid() {
            assertThat(violations("payment-failed", e -> data(e).putNull("nextRetryAt")))
                    .isEmpty();
        }

        @Test
        void aNestedFeatureValueIsAViolation() {
            assertThat(violations(
                            "entitlements-changed", e -> ((ObjectNode) data(e).get("features")).putObject("limits")))
                    .isNotEmpty()
                    .allSatisfy(m -> assertThat(m).startsWith("$.data.features.limits:"));
        }

        @Test
        void anImmediateCancelMustBeCanceled() {
            assertThat(violations("subscription-canceled", e -> data(e).put("cancelAtPeriodEnd", false)))
                    .isNotEmpty()
                    .allSatisfy(m -> assertThat(m).startsWith("$.data"))
                    .anySatisfy(m -> assertThat(m).startsWith("$.data.status:").contains("CANCELED"));
        }
    }

    @Nested
    class EnvelopeDrift {

        @Test
        void anUnknownTypeIsAViolation() {
            assertThat(violations("payment-succeeded", e -> e.put("type", "payment-captured")))
                    .anySatisfy(
                            m -> assertThat(m).startsWith("$.type:").contains("unknown event type 'payment-captured'"));
        }

        @Test
        void aTypeThatIsNotKebabCaseIsAViolation() {
            assertThat(violations("payment-succeeded", e -> e.put("type", "PaymentSucceeded")))
                    .anySatisfy(m -> assertThat(m).startsWith("$.type:").contains("does not match the regex pattern"))
                    .anySatisfy(m -> assertThat(m).startsWith("$.type:").contains("unknown event type"));
        }

        @Test
        void aWrongSpecVersionIsAViolation() {
            assertThat(violations("payment-succeeded", e -> e.put("specversion", "0.3")))
                    .singleElement()
                    .asString()
                    .startsWith("$.specversion:")
                    .contains("constant value '1.0'");
        }

        @Test
        void aBadEventIdIsAViolation() {
            assertThat(violations("payment-succeeded", e -> e.put("id", "42")))
                    .singleElement()
                    .asString()
                    .startsWith("$.id:")
                    .contains("uuid");
        }

        @Test
        void anUnknownSourceIsAViolation() {
            assertThat(violations("payment-succeeded", e -> e.put("source", "billing")))
                    .anySatisfy(m -> assertThat(m).startsWith("$.source:").contains("enumeration"))
                    .allSatisfy(m -> assertThat(m).startsWith("$.source:"));
        }

        @Test
        void aSourceThatIsNotTheProducerIsAViolation() {
            assertThat(violations("payment-succeeded", e -> e.put("source", "subscription-service")))
                    .singleElement()
                    .asString()
                    .startsWith("$.source:")
                    .contains("payment-service");
        }

        @Test
        void aMissingTimeIsAViolation() {
            assertThat(violations("payment-succeeded", e -> e.remove("time")))
                    .singleElement()
                    .asString()
                    .contains("required property 'time' not found");
        }

        @Test
        void aNegativeAggregateVersionIsAViolation() {
            assertThat(violations("payment-succeeded", e -> e.put("aggregateversion", -1)))
                    .singleElement()
                    .asString()
                    .startsWith("$.aggregateversion:");
        }

        @Test
        void anExtraEnvelopeAttributeIsAViolation() {
            assertThat(violations("payment-succeeded", e -> e.put("traceparent", "00-abc-def-01")))
                    .singleElement()
                    .asString()
                    .contains("'traceparent'", "not defined in the schema");
        }

        @Test
        void aMalformedDataschemaIsAViolation() {
            assertThat(violations("payment-succeeded", e -> e.put("dataschema", "payment-succeeded.v1")))
                    .singleElement()
                    .asString()
                    .startsWith("$.dataschema:");
        }

        @Test
        void aDataschemaOfAnotherTypeIsAViolation() {
            assertThat(violations("payment-succeeded", e -> e.put("dataschema", "urn:billing:event:payment-failed:1")))
                    .singleElement()
                    .asString()
                    .startsWith("$.dataschema:")
                    .contains("payment-failed");
        }

        @Test
        void aDataschemaVersionWithoutASchemaIsAViolation() {
            assertThat(violations(
                            "payment-succeeded", e -> e.put("dataschema", "urn:billing:event:payment-succeeded:2")))
                    .singleElement()
                    .asString()
                    .startsWith("$.dataschema:")
                    .contains("payment-succeeded.v2.schema.json");
        }

        @Test
        void aSubjectThatIsNotTheKeyIsAViolation() {
            assertThat(violations("payment-succeeded", e -> e.put("subject", "6f1c2b9e-4d3a-4b8e-9f21-7a5c0e3d8b14")))
                    .singleElement()
                    .asString()
                    .startsWith("$.subject:")
                    .contains("$.data.subscriptionId");
        }

        @Test
        void dataThatIsNotAnObjectIsAViolation() {
            assertThat(violations("payment-succeeded", e -> e.put("data", "{}")))
                    .singleElement()
                    .asString()
                    .startsWith("$.data:")
                    .contains("string found, object expected");
        }

        @Test
        void somethingThatIsNotJsonIsAViolation() {
            assertThat(EventSchemas.violations("payment-succeeded"))
                    .singleElement()
                    .asString()
                    .startsWith("$:");
            assertThat(EventSchemas.violations("[]")).singleElement().asString().startsWith("$:");
        }
    }

    @Test
    void assertValidListsTheViolations() {
        String drifted = mutate("payment-succeeded", e -> {
            data(e).put("amount", "1999");
            data(e).put("currency", "usd");
        });
        assertThatThrownBy(() -> EventSchemas.assertValid(drifted))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("2 violation(s)")
                .hasMessageContaining("$.data.amount:")
                .hasMessageContaining("$.data.currency:");
    }

    @Test
    void exampleOfAnUnknownTypeFails() {
        assertThatThrownBy(() -> EventSchemas.example("no-such-event")).isInstanceOf(IllegalArgumentException.class);
    }

    // --- helpers

    private static List<String> violations(String type, Consumer<ObjectNode> change) {
        return EventSchemas.violations(mutate(type, change));
    }

    private static String mutate(String type, Consumer<ObjectNode> change) {
        try {
            ObjectNode envelope = (ObjectNode) JSON.readTree(EventSchemas.example(type));
            change.accept(envelope);
            return JSON.writeValueAsString(envelope);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode data(ObjectNode envelope) {
        return (ObjectNode) envelope.get("data");
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = EventSchemasTest.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** File names in a classpath folder, whether the contracts module arrives as a folder or a jar. */
    private static List<String> listResources(String folder) throws Exception {
        URL url = EventSchemasTest.class.getClassLoader().getResource(folder);
        assertThat(url).as("classpath folder %s", folder).isNotNull();
        URI uri = url.toURI();
        if ("jar".equals(uri.getScheme())) {
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                return names(jar.getPath(folder));
            }
        }
        return names(Path.of(uri));
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString().replace("/", ""))
                    .sorted()
                    .toList();
        }
    }
}
