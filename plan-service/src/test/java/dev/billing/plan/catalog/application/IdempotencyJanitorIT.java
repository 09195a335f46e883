package dev.billing.plan.catalog.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billing.plan.PlanIT;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/** Idempotency keys are forgotten after the retention (24 h), measured on the injected clock. */
class IdempotencyJanitorIT extends PlanIT {

    @Autowired
    IdempotencyJanitor janitor;

    @Test
    void keysOlderThanTheRetentionAreForgotten() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = planBody(uniqueCode());
        assertThat(post(body, key)).isEqualTo(201);
        assertThat(post(body, key)).isEqualTo(201);

        clock.advance(Duration.ofHours(25));
        assertThat(janitor.purge().block(Duration.ofSeconds(10))).isPositive();

        // the key is gone: the same request is new again, and its code is taken
        assertThat(post(body, key)).isEqualTo(409);
    }

    private int post(Map<String, Object> body, String key) {
        return http().post()
                .uri(PLANS)
                .header(HttpHeaders.AUTHORIZATION, admin)
                .header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .returnResult(String.class)
                .getStatus()
                .value();
    }
}
