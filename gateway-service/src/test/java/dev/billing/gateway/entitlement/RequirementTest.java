package dev.billing.gateway.entitlement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequirementTest {

    static final Map<String, Object> PREMIUM = Map.of("screens", 4, "resolution", "4K", "hd", true, "ads", false);
    static final Map<String, Object> BASIC = Map.of("screens", 1, "resolution", "720p");

    @Test
    void anyActiveSubscriptionNeedsNoFeature() {
        assertThat(Requirement.parse(null)).isEqualTo(Requirement.ANY);
        assertThat(Requirement.parse(" ")).isEqualTo(Requirement.ANY);
        assertThat(Requirement.ANY.metBy(Map.of())).isTrue();
    }

    @Test
    void aLabelMatchesIgnoringCaseAndAnyOfSeveralValues() {
        assertThat(Requirement.parse("resolution:4K").metBy(PREMIUM)).isTrue();
        assertThat(Requirement.parse("resolution:4k").metBy(PREMIUM)).isTrue();
        assertThat(Requirement.parse("resolution:4K").metBy(BASIC)).isFalse();
        assertThat(Requirement.parse("resolution: 1080p | 4K").metBy(PREMIUM)).isTrue();
        assertThat(Requirement.parse("resolution:1080p|4K").values()).isEqualTo(List.of("1080p", "4K"));
    }

    @Test
    void aNumberIsAMinimumAndAFlagMustBeSet() {
        assertThat(Requirement.parse("screens:2").metBy(PREMIUM)).isTrue();
        assertThat(Requirement.parse("screens:2").metBy(BASIC)).isFalse();
        assertThat(Requirement.parse("hd").metBy(PREMIUM)).isTrue();
        assertThat(Requirement.parse("hd").metBy(BASIC)).isFalse();
        assertThat(Requirement.parse("ads").metBy(PREMIUM)).isFalse();
        assertThat(Requirement.parse("hd:true").metBy(PREMIUM)).isTrue();
    }

    @Test
    void theProblemNamesTheFeature() {
        assertThat(Requirement.parse("resolution:4K").describe())
                .containsEntry("feature", "resolution")
                .containsEntry("value", "4K");
        assertThat(Requirement.ANY.describe()).containsOnlyKeys("subscription");
    }

    @Test
    void activeMeansAGrantingStatusAndNotLapsed() {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        assertThat(entitlement("ACTIVE", now.plusSeconds(1)).activeAt(now)).isTrue();
        assertThat(entitlement("PAST_DUE", now.plusSeconds(1)).activeAt(now)).isTrue();
        assertThat(entitlement("TRIALING", null).activeAt(now)).isTrue();
        assertThat(entitlement("ACTIVE", now).activeAt(now)).isFalse();
        assertThat(entitlement("CANCELED", now.plusSeconds(60)).activeAt(now)).isFalse();
        assertThat(entitlement("SOMETHING_NEW", null).activeAt(now)).isFalse();
    }

    private static Entitlement entitlement(String status, Instant validUntil) {
        return new Entitlement("u", status, "p", PREMIUM, validUntil, 1);
    }
}
