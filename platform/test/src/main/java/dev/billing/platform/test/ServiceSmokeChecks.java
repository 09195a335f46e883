package dev.billing.platform.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What every service that owns a schema must do from its first day: come up healthy against
 * real Postgres and Kafka, migrate its own schema (with the platform's outbox and inbox), expose
 * metrics, and refuse its API without a token, as problem details. A service's IT extends this
 * and names its schema and one protected path.
 */
public abstract class ServiceSmokeChecks {

    @LocalServerPort
    protected int port;

    @Autowired
    protected DatabaseClient db;

    protected abstract String schema();

    protected abstract String protectedPath();

    protected WebTestClient http() {
        return TestHttp.local(port);
    }

    @Test
    void isLiveAndReady() {
        http().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        http().get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("UP");
    }

    @Test
    void migratesItsOwnSchemaWithOutboxAndInbox() {
        Long tables = db.sql("SELECT count(*) FROM information_schema.tables WHERE table_schema = :schema"
                        + " AND table_name IN ('outbox', 'inbox', 'flyway_schema_history')")
                .bind("schema", schema())
                .map((row, meta) -> ((Number) row.get(0)).longValue())
                .one()
                .block(Duration.ofSeconds(10));
        assertThat(tables).isEqualTo(3);
    }

    @Test
    void exposesPrometheusMetricsWithOutboxLag() {
        http().get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body -> assertThat(body).contains("outbox_pending", "outbox_oldest_age_seconds"));
    }

    @Test
    void refusesItsApiWithoutATokenAsProblemDetails() {
        http().get()
                .uri(protectedPath())
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
}
