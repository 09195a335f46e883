package dev.billing.plan.catalog.domain;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a command on a plan: the plan after it, the price version it created (or null),
 * and the events to publish. No events means nothing changed (nothing to save).
 */
public record PlanChange(Plan plan, PlanPrice newPrice, List<PlanEvent> events) {

    public PlanChange {
        Objects.requireNonNull(plan, "plan");
        events = List.copyOf(events);
    }

    public boolean changed() {
        return !events.isEmpty();
    }
}
