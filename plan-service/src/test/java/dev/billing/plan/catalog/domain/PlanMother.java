package dev.billing.plan.catalog.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Plans and drafts for tests. */
public final class PlanMother {

    public static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private PlanMother() {}

    public static PlanDraft draft(String code) {
        return new PlanDraft(
                code,
                "Premium",
                "Four screens in 4K.",
                1999,
                "USD",
                "MONTH",
                1,
                7,
                Map.of("screens", 4, "resolution", "4K"),
                3);
    }

    public static PlanDefinition definition() {
        return draft("premium").validate(true).definition();
    }

    public static Plan active() {
        return Plan.create(UUID.randomUUID(), "premium", definition(), NOW).plan();
    }
}
