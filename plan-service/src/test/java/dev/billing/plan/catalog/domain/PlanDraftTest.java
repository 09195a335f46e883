package dev.billing.plan.catalog.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanDraftTest {

    @Test
    void aValidDraftIsNormalised() {
        PlanDraft draft = new PlanDraft(
                "  Premium-4K ",
                " Premium ",
                "  ",
                1999,
                "usd",
                "month",
                null,
                null,
                Map.of("screens", 4, "ratio", 1.5, "hd", true, "resolution", "4K", "seats", 4.0),
                null);
        PlanDraft.Valid valid = draft.validate(true);
        assertThat(valid.code()).isEqualTo("premium-4k");
        PlanDefinition d = valid.definition();
        assertThat(d.name()).isEqualTo("Premium");
        assertThat(d.description()).isNull();
        assertThat(d.price()).isEqualTo(new PriceTerms(1999, "USD", BillingInterval.MONTH, 1));
        assertThat(d.trialDays()).isZero();
        assertThat(d.tier()).isZero();
        assertThat(d.features())
                .containsEntry("screens", 4L)
                .containsEntry("seats", 4L)
                .containsEntry("ratio", 1.5)
                .containsEntry("hd", true)
                .containsEntry("resolution", "4K");
        assertThat(d.features().keySet()).containsExactly("hd", "ratio", "resolution", "screens", "seats");
    }

    @Test
    void everyBadFieldIsNamed() {
        Map<String, Object> features = new HashMap<>();
        features.put("screens", Map.of("nested", 1));
        features.put("1bad", true);
        PlanDraft draft =
                new PlanDraft("Not Valid!", "", "x".repeat(2001), 9.99, "XYZ", "FORTNIGHT", 0, -1, features, -3);
        assertThatThrownBy(() -> draft.validate(true))
                .isInstanceOfSatisfying(InvalidPlanException.class, e -> assertThat(e.errors())
                        .containsOnlyKeys(
                                "code",
                                "name",
                                "description",
                                "amount",
                                "currency",
                                "interval",
                                "intervalCount",
                                "trialDays",
                                "tier",
                                "features",
                                "features.screens"));
    }

    @Test
    void requiredFieldsAreRequired() {
        PlanDraft empty = new PlanDraft(null, null, null, null, null, null, null, null, null, null);
        assertThatThrownBy(() -> empty.validate(true))
                .isInstanceOfSatisfying(InvalidPlanException.class, e -> assertThat(e.errors())
                        .containsOnlyKeys("code", "name", "amount", "currency", "interval")
                        .containsValue("is required"));
        assertThatThrownBy(() -> empty.validate(false))
                .isInstanceOfSatisfying(
                        InvalidPlanException.class, e -> assertThat(e.errors()).doesNotContainKey("code"));
    }

    @Test
    void aBillingPeriodIsAtMostAYear() {
        assertThat(withInterval("YEAR", 1).validate(true).definition().price().intervalCount())
                .isEqualTo(1);
        assertThat(withInterval("WEEK", 52).validate(true)).isNotNull();
        assertThat(withInterval("DAY", 365).validate(true)).isNotNull();
        for (var tooLong :
                Map.of("YEAR", 2, "MONTH", 13, "WEEK", 53, "DAY", 366).entrySet()) {
            assertThatThrownBy(() ->
                            withInterval(tooLong.getKey(), tooLong.getValue()).validate(true))
                    .isInstanceOfSatisfying(InvalidPlanException.class, e -> assertThat(e.errors())
                            .containsOnlyKeys("intervalCount"));
        }
    }

    @Test
    void amountsAreWholeMinorUnitsWithinStripesLimit() {
        assertThat(withAmount(0).validate(true).definition().price().amount()).isZero();
        assertThat(withAmount(new BigDecimal("1999.0"))
                        .validate(true)
                        .definition()
                        .price()
                        .amount())
                .isEqualTo(1999);
        assertThat(withAmount(PlanDraft.MAX_AMOUNT).validate(true)).isNotNull();
        for (Number bad : new Number[] {-1, 19.99, PlanDraft.MAX_AMOUNT + 1, Double.NaN}) {
            assertThatThrownBy(() -> withAmount(bad).validate(true))
                    .isInstanceOfSatisfying(InvalidPlanException.class, e -> assertThat(e.errors())
                            .containsOnlyKeys("amount"));
        }
    }

    private static PlanDraft withInterval(String interval, int count) {
        PlanDraft d = PlanMother.draft("p");
        return new PlanDraft(
                d.code(),
                d.name(),
                d.description(),
                d.amount(),
                d.currency(),
                interval,
                count,
                d.trialDays(),
                d.features(),
                d.tier());
    }

    private static PlanDraft withAmount(Number amount) {
        PlanDraft d = PlanMother.draft("p");
        return new PlanDraft(
                d.code(),
                d.name(),
                d.description(),
                amount,
                d.currency(),
                d.interval(),
                d.intervalCount(),
                d.trialDays(),
                d.features(),
                d.tier());
    }
}
