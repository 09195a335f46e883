package dev.billing.plan.catalog.domain;

/** ACTIVE: on sale and in the public list. ARCHIVED: no new subscriptions; still readable by id. */
public enum PlanStatus {
    ACTIVE,
    ARCHIVED
}
