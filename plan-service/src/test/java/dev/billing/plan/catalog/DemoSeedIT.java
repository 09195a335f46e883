package dev.billing.plan.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.GET;

import dev.billing.plan.PlanIT;
import dev.billing.plan.catalog.application.DemoSeed;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** PLAN_SEED_DEMO=true (set for the tests): the demo plans exist once, whatever runs the seed again. */
class DemoSeedIT extends PlanIT {

    private static final List<String> CODES = List.of("basic", "standard", "premium");

    @Autowired
    DemoSeed seed;

    @Test
    void theDemoPlansAreSeededOnStartup() {
        awaitSeeded();
        JsonNode basic = plan("basic");
        assertThat(basic.get("name").asString()).isEqualTo("Basic");
        assertThat(basic.get("amount").asLong()).isEqualTo(999);
        assertThat(basic.get("currency").asString()).isEqualTo("USD");
        assertThat(basic.get("interval").asString()).isEqualTo("MONTH");
        assertThat(basic.get("intervalCount").asInt()).isEqualTo(1);
        assertThat(basic.get("tier").asInt()).isEqualTo(1);
        assertThat(basic.get("features").get("screens").asInt()).isEqualTo(1);
        assertThat(basic.get("features").get("resolution").asString()).isEqualTo("720p");

        JsonNode standard = plan("standard");
        assertThat(standard.get("amount").asLong()).isEqualTo(1499);
        assertThat(standard.get("tier").asInt()).isEqualTo(2);
        assertThat(standard.get("features").get("screens").asInt()).isEqualTo(2);
        assertThat(standard.get("features").get("resolution").asString()).isEqualTo("1080p");

        JsonNode premium = plan("premium");
        assertThat(premium.get("amount").asLong()).isEqualTo(1999);
        assertThat(premium.get("tier").asInt()).isEqualTo(3);
        assertThat(premium.get("features").get("screens").asInt()).isEqualTo(4);
        assertThat(premium.get("features").get("resolution").asString()).isEqualTo("4K");

        for (String code : CODES) {
            JsonNode plan = plan(code);
            assertThat(json(send(GET, PLANS + "/" + plan.get("id").asString(), null, null)
                                    .expectStatus()
                                    .isOk())
                            .get("status")
                            .asString())
                    .isEqualTo("ACTIVE");
        }
    }

    @Test
    void seedingAgainAndConcurrentlyCreatesNothingAndPublishesNothing() {
        awaitSeeded();
        assertThat(seed.seed().block(Duration.ofSeconds(30))).isEmpty();
        var twice = Mono.zip(seed.seed(), seed.seed()).block(Duration.ofSeconds(30));
        assertThat(twice).isNotNull();
        assertThat(twice.getT1()).isEmpty();
        assertThat(twice.getT2()).isEmpty();

        for (String code : CODES) {
            Long rows = db.sql("SELECT count(*) FROM plans WHERE code = :code")
                    .bind("code", code)
                    .map(row -> row.get(0, Long.class))
                    .one()
                    .block(Duration.ofSeconds(10));
            assertThat(rows).isEqualTo(1);
            UUID id = UUID.fromString(plan(code).get("id").asString());
            assertThat(outboxEvents("plan-published", id)).hasSize(1);
        }
    }

    private JsonNode plan(String code) {
        JsonNode items = json(send(GET, PLANS + "?size=100", null, null)
                        .expectStatus()
                        .isOk())
                .get("items");
        for (JsonNode item : items) {
            if (item.get("code").asString().equals(code)) {
                return item;
            }
        }
        throw new AssertionError("no active plan " + code);
    }

    private void awaitSeeded() {
        for (int i = 0; i < 100; i++) {
            Long seeded = db.sql("SELECT count(*) FROM plans WHERE code IN ('basic', 'standard', 'premium')")
                    .map(row -> row.get(0, Long.class))
                    .one()
                    .block(Duration.ofSeconds(10));
            if (seeded != null && seeded == 3) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("the demo plans were not seeded");
    }
}
