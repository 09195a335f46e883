package dev.billing.plan.catalog.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The events a plan's changes produce; their components are exactly the {@code data} of
 * contracts/events/plan-*.v1.schema.json.
 */
public sealed interface PlanEvent {

    String PLAN_PUBLISHED = "plan-published";
    String PLAN_ARCHIVED = "plan-archived";

    /** The event type, which is also the topic. */
    String type();

    /** The full state of the plan after a create, update, price change or archive. */
    record PlanPublished(
            UUID id,
            String code,
            String name,
            String description,
            long amount,
            String currency,
            int priceVersion,
            BillingInterval interval,
            int intervalCount,
            int trialDays,
            Map<String, Object> features,
            int tier,
            PlanStatus status)
            implements PlanEvent {

        public static PlanPublished of(Plan plan) {
            PlanDefinition d = plan.definition();
            return new PlanPublished(
                    plan.id(),
                    plan.code(),
                    d.name(),
                    d.description(),
                    d.price().amount(),
                    d.price().currency(),
                    plan.priceVersion(),
                    d.price().interval(),
                    d.price().intervalCount(),
                    d.trialDays(),
                    d.features(),
                    d.tier(),
                    plan.status());
        }

        @Override
        public String type() {
            return PLAN_PUBLISHED;
        }
    }

    /** The plan was taken off sale. */
    record PlanArchived(UUID id, String code, Instant archivedAt) implements PlanEvent {

        @Override
        public String type() {
            return PLAN_ARCHIVED;
        }
    }
}
