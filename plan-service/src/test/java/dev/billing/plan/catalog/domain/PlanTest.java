package dev.billing.plan.catalog.domain;

import static dev.billing.plan.catalog.domain.PlanMother.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billing.plan.catalog.domain.PlanEvent.PlanArchived;
import dev.billing.plan.catalog.domain.PlanEvent.PlanPublished;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PlanTest {

    private static final Instant LATER = NOW.plusSeconds(3600);

    @Test
    void aNewPlanIsActiveAtVersionOneWithPriceVersionOneAndIsPublished() {
        UUID id = UUID.randomUUID();
        PlanChange change = Plan.create(id, "premium", PlanMother.definition(), NOW);
        Plan plan = change.plan();
        assertThat(plan.status()).isEqualTo(PlanStatus.ACTIVE);
        assertThat(plan.version()).isEqualTo(1);
        assertThat(plan.priceVersion()).isEqualTo(1);
        assertThat(change.newPrice())
                .isEqualTo(new PlanPrice(id, 1, plan.definition().price(), NOW));
        assertThat(change.events()).singleElement().isInstanceOfSatisfying(PlanPublished.class, e -> {
            assertThat(e.id()).isEqualTo(id);
            assertThat(e.amount()).isEqualTo(1999);
            assertThat(e.priceVersion()).isEqualTo(1);
            assertThat(e.status()).isEqualTo(PlanStatus.ACTIVE);
            assertThat(e.features()).containsEntry("screens", 4L);
        });
    }

    @Test
    void anUpdateWithoutPriceChangeKeepsThePriceVersion() {
        Plan plan = PlanMother.active();
        PlanDefinition renamed = new PlanDefinition(
                "Premium+",
                null,
                plan.definition().price(),
                14,
                Map.of("screens", 5),
                plan.definition().tier());
        PlanChange change = plan.update(null, renamed, LATER);
        assertThat(change.plan().version()).isEqualTo(2);
        assertThat(change.plan().priceVersion()).isEqualTo(1);
        assertThat(change.plan().updatedAt()).isEqualTo(LATER);
        assertThat(change.newPrice()).isNull();
        assertThat(change.events()).singleElement().isInstanceOf(PlanPublished.class);
    }

    @Test
    void aPriceChangeMakesANewPriceVersion() {
        Plan plan = PlanMother.active();
        PriceTerms dearer = new PriceTerms(2499, "USD", BillingInterval.MONTH, 1);
        PlanChange change = plan.update("premium", withPrice(plan, dearer), LATER);
        assertThat(change.plan().priceVersion()).isEqualTo(2);
        assertThat(change.newPrice()).isEqualTo(new PlanPrice(plan.id(), 2, dearer, LATER));
        assertThat(((PlanPublished) change.events().getFirst()).priceVersion()).isEqualTo(2);

        PriceTerms yearly = new PriceTerms(2499, "USD", BillingInterval.YEAR, 1);
        PlanChange again = change.plan().update(null, withPrice(change.plan(), yearly), LATER);
        assertThat(again.plan().priceVersion()).isEqualTo(3);
        assertThat(again.plan().version()).isEqualTo(3);
    }

    @Test
    void theSameDefinitionChangesNothing() {
        Plan plan = PlanMother.active();
        PlanChange change = plan.update(null, PlanMother.definition(), LATER);
        assertThat(change.changed()).isFalse();
        assertThat(change.plan()).isSameAs(plan);
    }

    @Test
    void theCodeCannotChange() {
        Plan plan = PlanMother.active();
        assertThatThrownBy(() -> plan.update("gold", PlanMother.definition(), LATER))
                .isInstanceOf(IllegalPlanChangeException.class)
                .hasMessageContaining("code");
    }

    @Test
    void archivingPublishesBothEventsOnceAndFreezesThePlan() {
        Plan plan = PlanMother.active();
        PlanChange archived = plan.archive(LATER);
        assertThat(archived.plan().status()).isEqualTo(PlanStatus.ARCHIVED);
        assertThat(archived.plan().archivedAt()).isEqualTo(LATER);
        assertThat(archived.plan().version()).isEqualTo(2);
        assertThat(archived.events()).hasSize(2);
        assertThat(archived.events().get(0)).isInstanceOfSatisfying(PlanPublished.class, e -> assertThat(e.status())
                .isEqualTo(PlanStatus.ARCHIVED));
        assertThat(archived.events().get(1)).isEqualTo(new PlanArchived(plan.id(), "premium", LATER));

        PlanChange again = archived.plan().archive(LATER.plusSeconds(1));
        assertThat(again.changed()).isFalse();
        assertThat(again.plan()).isSameAs(archived.plan());

        assertThatThrownBy(() -> archived.plan().update(null, PlanMother.definition(), LATER))
                .isInstanceOf(IllegalPlanChangeException.class)
                .hasMessageContaining("archived");
    }

    @Test
    void featuresCompareByValueWhateverTheirNumberType() {
        PlanDefinition a = withFeatures(Map.of("screens", 4, "ratio", 1.5f));
        PlanDefinition b = withFeatures(Map.of("screens", 4L, "ratio", 1.5d));
        assertThat(a).isEqualTo(b);
    }

    private static PlanDefinition withFeatures(Map<String, Object> features) {
        PlanDefinition d = PlanMother.definition();
        return new PlanDefinition(d.name(), d.description(), d.price(), d.trialDays(), features, d.tier());
    }

    private static PlanDefinition withPrice(Plan plan, PriceTerms price) {
        PlanDefinition d = plan.definition();
        return new PlanDefinition(d.name(), d.description(), price, d.trialDays(), d.features(), d.tier());
    }
}
