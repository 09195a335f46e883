package dev.billing.platform.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billing.platform.test.contracts.EventSchemas;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class EventCodecTest {

    private final EventCodec codec = new EventCodec(
            JsonMapper.builder().build(),
            java.time.Clock.fixed(Instant.parse("2026-11-22T10:15:30Z"), ZoneOffset.UTC),
            "plan-service");

    record PlanArchived(UUID id, String code, Instant archivedAt) {}

    @Test
    void anEnvelopeCarriesTheCloudEventsAttributesAndTheAggregateVersion() {
        UUID plan = UUID.randomUUID();
        EventEnvelope envelope = codec.envelope(OutboundEvent.of(
                "plan-archived", plan, 7, new PlanArchived(plan, "basic", Instant.parse("2026-11-22T10:15:00Z"))));

        assertThat(envelope.specversion()).isEqualTo("1.0");
        assertThat(envelope.type()).isEqualTo("plan-archived");
        assertThat(envelope.source()).isEqualTo("plan-service");
        assertThat(envelope.subject()).isEqualTo(plan.toString());
        assertThat(envelope.time()).isEqualTo(Instant.parse("2026-11-22T10:15:30Z"));
        assertThat(envelope.dataschema()).isEqualTo("urn:billing:event:plan-archived:1");
        assertThat(envelope.aggregateversion()).isEqualTo(7);

        String json = codec.toJson(envelope);
        EventSchemas.assertValid(json); // what the codec writes is what contracts/ documents
        EventEnvelope back = codec.parse(json);
        assertThat(back).isEqualTo(envelope);
        assertThat(codec.data(back, PlanArchived.class).code()).isEqualTo("basic");
    }

    @Test
    void somethingThatIsNotAnEnvelopeIsMalformed() {
        assertThatThrownBy(() -> codec.parse("{not json")).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> codec.parse("")).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> codec.parse("{\"specversion\":\"1.0\",\"type\":\"x\"}"))
                .isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(
                        () -> codec.parse(
                                "{\"specversion\":\"0.3\",\"id\":\"" + UUID.randomUUID()
                                        + "\",\"type\":\"x\",\"source\":\"s\",\"time\":\"2026-11-22T10:15:30Z\",\"subject\":\"a\",\"aggregateversion\":1,\"data\":{}}"))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("specversion");
    }

    @Test
    void dataOfTheWrongShapeIsMalformed() {
        UUID plan = UUID.randomUUID();
        EventEnvelope envelope =
                codec.envelope(OutboundEvent.of("plan-archived", plan, 1, java.util.Map.of("id", "not-a-uuid")));
        assertThatThrownBy(() -> codec.data(envelope, PlanArchived.class))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("PlanArchived");
    }
}
