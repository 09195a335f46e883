package dev.billing.auth.token.domain;

import java.time.Instant;

/**
 * What presenting a refresh token leads to. A token is good once: presenting it again (after it
 * was rotated) means it leaked, so its whole family is revoked.
 */
public enum RefreshDecision {
    ROTATE,
    REJECT,
    REVOKE_FAMILY;

    public static RefreshDecision of(Instant usedAt, Instant revokedAt, Instant expiresAt, Instant now) {
        if (revokedAt != null) {
            return REJECT;
        }
        if (usedAt != null) {
            return REVOKE_FAMILY;
        }
        if (!expiresAt.isAfter(now)) {
            return REJECT;
        }
        return ROTATE;
    }
}
