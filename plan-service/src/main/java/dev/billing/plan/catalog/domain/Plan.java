package dev.billing.plan.catalog.domain;

import dev.billing.plan.catalog.domain.PlanEvent.PlanArchived;
import dev.billing.plan.catalog.domain.PlanEvent.PlanPublished;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A plan of the catalog: ACTIVE (on sale) until archived, then ARCHIVED for good. Every change
 * returns a new value with {@code version} one higher (the events' {@code aggregateversion}) and
 * the events it causes; a change of the price terms also makes a new price version. An archived
 * plan accepts no change; archiving twice changes nothing.
 *
 * @param priceVersion the current price version (1, 2, ...); the older ones stay in the price history
 * @param archivedAt when it was archived, or null
 */
public record Plan(
        UUID id,
        String code,
        PlanDefinition definition,
        int priceVersion,
        PlanStatus status,
        long version,
        Instant createdAt,
        Instant updatedAt,
        Instant archivedAt) {

    public Plan {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(status, "status");
        if (!PlanDraft.CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("invalid plan code " + code);
        }
    }

    /** A new plan, on sale at once (plans are never drafts), with price version 1. */
    public static PlanChange create(UUID id, String code, PlanDefinition definition, Instant now) {
        Plan plan = new Plan(id, code, definition, 1, PlanStatus.ACTIVE, 1, now, now, null);
        return new PlanChange(plan, new PlanPrice(id, 1, definition.price(), now), List.of(PlanPublished.of(plan)));
    }

    public boolean isArchived() {
        return status == PlanStatus.ARCHIVED;
    }

    /**
     * Replaces what an admin edits. {@code newCode} may be null (keep) but not another code: a code
     * is the plan's stable key. Changed price terms make price version {@code priceVersion + 1};
     * the same definition again changes nothing.
     */
    public PlanChange update(String newCode, PlanDefinition newDefinition, Instant now) {
        Objects.requireNonNull(newDefinition, "newDefinition");
        if (isArchived()) {
            throw new IllegalPlanChangeException("Plan " + code + " is archived and can no longer be changed.");
        }
        if (newCode != null && !newCode.equals(code)) {
            throw new IllegalPlanChangeException(
                    "The code of a plan cannot change (it is " + code + "); create a new plan instead.");
        }
        if (newDefinition.equals(definition)) {
            return new PlanChange(this, null, List.of());
        }
        boolean newPrice = !newDefinition.price().equals(definition.price());
        int nextPriceVersion = newPrice ? priceVersion + 1 : priceVersion;
        Plan next =
                new Plan(id, code, newDefinition, nextPriceVersion, status, version + 1, createdAt, now, archivedAt);
        return new PlanChange(
                next,
                newPrice ? new PlanPrice(id, nextPriceVersion, newDefinition.price(), now) : null,
                List.of(PlanPublished.of(next)));
    }

    /** Takes the plan off sale: {@code plan-published} (ARCHIVED) and {@code plan-archived}. Idempotent. */
    public PlanChange archive(Instant now) {
        if (isArchived()) {
            return new PlanChange(this, null, List.of());
        }
        Plan next = new Plan(id, code, definition, priceVersion, PlanStatus.ARCHIVED, version + 1, createdAt, now, now);
        return new PlanChange(next, null, List.of(PlanPublished.of(next), new PlanArchived(id, code, now)));
    }
}
