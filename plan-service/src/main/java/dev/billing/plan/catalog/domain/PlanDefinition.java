package dev.billing.plan.catalog.domain;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What an admin edits on a plan: everything but its id, code and lifecycle. Built (and
 * validated) from a {@link PlanDraft}; once built, always valid.
 *
 * @param description marketing text, or null
 * @param features feature key to a String, Long, Double or Boolean value; sorted, unmodifiable
 * @param tier rank for comparing plans: higher is an upgrade
 */
public record PlanDefinition(
        String name, String description, PriceTerms price, int trialDays, Map<String, Object> features, int tier) {

    public PlanDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(price, "price");
        features = Collections.unmodifiableMap(normalised(features));
        if (trialDays < 0 || tier < 0) {
            throw new IllegalArgumentException("trialDays and tier must be >= 0");
        }
    }

    /** Sorted by key, whole numbers as Long, other numbers as Double (so equal features compare equal). */
    private static Map<String, Object> normalised(Map<String, Object> features) {
        Map<String, Object> sorted = new TreeMap<>();
        if (features != null) {
            features.forEach((key, value) -> {
                Object normal = PlanDraft.featureValue(value);
                if (key == null || normal == null) {
                    throw new IllegalArgumentException("invalid feature " + key + "=" + value);
                }
                sorted.put(key, normal);
            });
        }
        return sorted;
    }
}
