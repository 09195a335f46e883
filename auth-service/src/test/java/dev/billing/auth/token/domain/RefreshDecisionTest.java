package dev.billing.auth.token.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RefreshDecisionTest {

    private final Instant now = Instant.parse("2026-11-22T10:00:00Z");
    private final Instant later = now.plusSeconds(60);

    @Test
    void aLiveUnusedTokenRotates() {
        assertThat(RefreshDecision.of(null, null, later, now)).isEqualTo(RefreshDecision.ROTATE);
    }

    @Test
    void aUsedTokenRevokesItsFamily() {
        assertThat(RefreshDecision.of(now, null, later, now)).isEqualTo(RefreshDecision.REVOKE_FAMILY);
    }

    @Test
    void revokedOrExpiredTokensAreRejected() {
        assertThat(RefreshDecision.of(null, now, later, now)).isEqualTo(RefreshDecision.REJECT);
        assertThat(RefreshDecision.of(now, now, later, now)).isEqualTo(RefreshDecision.REJECT);
        assertThat(RefreshDecision.of(null, null, now, now)).isEqualTo(RefreshDecision.REJECT);
    }
}
