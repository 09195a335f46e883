package dev.billing.platform.test;

import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points a Spring context at the shared test Postgres, Kafka and JWKS. Registered by
 * {@link IntegrationTest}; every context in the JVM gets the same infrastructure.
 */
public class InfrastructureInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        var db = TestInfrastructure.postgres();
        var jwts = TestJwts.shared();
        Map<String, Object> props = Map.ofEntries(
                Map.entry("spring.r2dbc.url", db.r2dbcUrl()),
                Map.entry("spring.r2dbc.username", db.username()),
                Map.entry("spring.r2dbc.password", db.password()),
                Map.entry("spring.flyway.url", db.jdbcUrl()),
                Map.entry("spring.flyway.user", db.username()),
                Map.entry("spring.flyway.password", db.password()),
                Map.entry("spring.kafka.bootstrap-servers", TestInfrastructure.kafka()),
                Map.entry("spring.kafka.consumer.auto-offset-reset", "earliest"),
                Map.entry("platform.security.jwks-uri", jwts.jwksUri()),
                Map.entry("platform.security.issuer", TestJwts.ISSUER),
                Map.entry("platform.security.audience", TestJwts.AUDIENCE));
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test-infrastructure", props));
    }
}
