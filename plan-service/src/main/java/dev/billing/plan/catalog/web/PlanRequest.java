package dev.billing.plan.catalog.web;

import dev.billing.plan.catalog.domain.Plan;
import dev.billing.plan.catalog.domain.PlanDefinition;
import dev.billing.plan.catalog.domain.PlanDraft;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;
import java.util.Set;

/**
 * The body of POST (create) and PUT (full update): every editable field of a plan. Numbers are
 * taken as any JSON number and checked to be whole by the domain, so {@code 9.99} is a 400, not
 * silently 9.
 */
@Schema(description = "A plan as submitted by an admin")
record PlanRequest(
        @Schema(
                description = "Stable unique key, lower case (a-z, 0-9, '-', '_'); required on create, may be"
                        + " omitted on update (it cannot change)",
                example = "premium")
        String code,

        @Schema(description = "Display name, 1-100 characters", example = "Premium")
        String name,

        @Schema(description = "Marketing text (at most 2000 characters), or null", nullable = true)
        String description,

        @Schema(description = "Price of one billing period in minor units (0 = free)", example = "1999")
        Number amount,

        @Schema(description = "ISO 4217 currency code", example = "USD")
        String currency,

        @Schema(
                description = "Billing interval unit",
                allowableValues = {"DAY", "WEEK", "MONTH", "YEAR"})
        String interval,

        @Schema(description = "Interval units per billing period (default 1; a period is at most a year)")
        Number intervalCount,

        @Schema(description = "Free trial of a new subscription in days (default 0, at most 730)")
        Number trialDays,

        @Schema(
                description = "Feature key to a string, number or boolean",
                example = "{\"screens\": 4, \"resolution\": \"4K\"}")
        Map<String, Object> features,

        @Schema(description = "Rank for comparing plans: higher is an upgrade (default 0)", example = "3")
        Number tier) {

    /** The fields a PATCH may name. */
    static final Set<String> FIELDS = Set.of(
            "code",
            "name",
            "description",
            "amount",
            "currency",
            "interval",
            "intervalCount",
            "trialDays",
            "features",
            "tier");

    PlanDraft toDraft() {
        return new PlanDraft(
                code, name, description, amount, currency, interval, intervalCount, trialDays, features, tier);
    }

    /** The current plan in request form: what a PATCH is merged into. */
    static PlanRequest of(Plan plan) {
        PlanDefinition d = plan.definition();
        return new PlanRequest(
                plan.code(),
                d.name(),
                d.description(),
                d.price().amount(),
                d.price().currency(),
                d.price().interval().name(),
                d.price().intervalCount(),
                d.trialDays(),
                d.features(),
                d.tier());
    }
}
