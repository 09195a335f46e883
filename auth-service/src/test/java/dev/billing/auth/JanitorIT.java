package dev.billing.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.auth.common.Janitor;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Expired secrets are deleted, live ones kept. */
class JanitorIT extends AuthIT {

    @Autowired
    Janitor janitor;

    @Test
    void expiredTokensAndCodesAreDeletedLiveOnesKept() {
        Session old = newUser();
        postJson("/api/v1/auth/login-code", Map.of("email", old.email()), null)
                .exchange()
                .expectStatus()
                .isAccepted();
        clock.advance(Duration.ofDays(32));
        Session fresh = newUser();

        janitor.purge().block(Duration.ofSeconds(30));

        assertThat(count("refresh_tokens", old)).isZero();
        assertThat(count("one_time_tokens", old)).isZero();
        assertThat(count("login_codes", old)).isZero();
        assertThat(count("refresh_tokens", fresh)).isEqualTo(1);
        assertThat(count("one_time_tokens", fresh)).isEqualTo(1);
    }

    private long count(String table, Session s) {
        return db.sql("SELECT count(*) FROM " + table + " WHERE user_id = :user")
                .bind("user", s.id())
                .map(row -> row.get(0, Long.class))
                .one()
                .block(Duration.ofSeconds(10));
    }
}
