package dev.billing.plan.catalog.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One version of a plan's price. Versions are numbered 1, 2, ... per plan and never change once
 * written: a subscription keeps the version it was sold at.
 */
public record PlanPrice(UUID planId, int version, PriceTerms terms, Instant createdAt) {

    public PlanPrice {
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(terms, "terms");
        Objects.requireNonNull(createdAt, "createdAt");
        if (version < 1) {
            throw new IllegalArgumentException("price versions start at 1");
        }
    }
}
