package dev.billing.gateway.entitlement;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What one user is entitled to, as the last {@code entitlements-changed} event said.
 *
 * @param userId the user (token subject)
 * @param status the granting subscription's status, or {@code NONE}
 * @param planId the plan of that subscription, or null
 * @param features feature key to value (a flag, a limit or a label)
 * @param validUntil when the grant lapses unless renewed; null: it does not lapse (free plan)
 * @param version the event's {@code aggregateversion}: a later event with a version not above it is
 *     ignored
 */
public record Entitlement(
        String userId,
        String status,
        @Nullable String planId,
        Map<String, Object> features,
        @Nullable Instant validUntil,
        long version) {

    /**
     * Statuses that grant access. {@code PAST_DUE} does: like Stripe's default, access continues
     * during dunning until the retries are exhausted (then {@code CANCELED} arrives).
     */
    public static final Set<String> ACTIVE_STATUSES = Set.of("ACTIVE", "TRIALING", "PAST_DUE");

    public Entitlement {
        features = Map.copyOf(features);
    }

    /** Entitled now: an active status and {@code validUntil} later than {@code now} (or none). */
    public boolean activeAt(Instant now) {
        return ACTIVE_STATUSES.contains(status) && (validUntil == null || validUntil.isAfter(now));
    }
}
