package dev.billing.plan.catalog.web;

import dev.billing.plan.catalog.domain.BillingInterval;
import dev.billing.plan.catalog.domain.Plan;
import dev.billing.plan.catalog.domain.PlanDefinition;
import dev.billing.plan.catalog.domain.PlanPrice;
import dev.billing.plan.catalog.domain.PlanStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A plan as the API shows it: the fields of {@code plan-published} plus version and timestamps. */
@Schema(description = "A plan of the catalog")
record PlanResponse(
        UUID id,
        String code,
        String name,
        String description,

        @Schema(description = "Price of one billing period in minor units")
        long amount,

        String currency,
        BillingInterval interval,
        int intervalCount,

        @Schema(description = "Current price version (1, 2, ...); older ones under /{id}/prices")
        int priceVersion,

        int trialDays,
        Map<String, Object> features,
        int tier,
        PlanStatus status,

        @Schema(description = "Grows with every change (the events' aggregateversion)")
        long version,

        Instant createdAt,
        Instant updatedAt,
        Instant archivedAt) {

    static PlanResponse of(Plan plan) {
        PlanDefinition d = plan.definition();
        return new PlanResponse(
                plan.id(),
                plan.code(),
                d.name(),
                d.description(),
                d.price().amount(),
                d.price().currency(),
                d.price().interval(),
                d.price().intervalCount(),
                plan.priceVersion(),
                d.trialDays(),
                d.features(),
                d.tier(),
                plan.status(),
                plan.version(),
                plan.createdAt(),
                plan.updatedAt(),
                plan.archivedAt());
    }

    /** One page of the public list. */
    record Page(List<PlanResponse> items, int page, int size, long total) {}

    /** One version of a plan's price. */
    record Price(
            UUID planId,
            int priceVersion,
            long amount,
            String currency,
            BillingInterval interval,
            int intervalCount,
            Instant createdAt) {

        static Price of(PlanPrice price) {
            return new Price(
                    price.planId(),
                    price.version(),
                    price.terms().amount(),
                    price.terms().currency(),
                    price.terms().interval(),
                    price.terms().intervalCount(),
                    price.createdAt());
        }
    }
}
