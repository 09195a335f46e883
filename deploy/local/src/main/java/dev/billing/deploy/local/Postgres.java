package dev.billing.deploy.local;

import dev.billing.deploy.local.Processes.StartupException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * A real PostgreSQL (zonky's binaries from Maven Central). As root, zonky runs initdb and postgres under
 * {@code unshare -U}, because both refuse to run as root; as a normal user they run directly.
 */
final class Postgres implements AutoCloseable {
    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private Postgres(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    static Path dataDir(Config config) {
        return config.local().resolve("postgres");
    }

    static Postgres start(Config config) throws IOException {
        Path dataDir = dataDir(config);
        Path log = config.logs().resolve("postgres.log");
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setPort(config.dbPort())
                    // Kept across restarts (zonky only runs initdb when postgresql.conf is missing); --fresh wipes it.
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // Unpacked once into .local instead of /tmp, so a root run and a user run never share files.
                    .setOverrideWorkingDirectory(
                            config.local().resolve("postgres-bin").toFile())
                    // The launcher stops Postgres itself, last, after the services that use it.
                    .setRegisterShutdownHook(false)
                    // The same database on every OS, whatever locales the machine has installed.
                    .setLocaleConfig("locale", "C")
                    .setLocaleConfig("locale-provider", "builtin")
                    .setLocaleConfig("builtin-locale", "C.UTF-8")
                    .setServerConfig("listen_addresses", "localhost")
                    .setOutputRedirector(Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(Redirect.appendTo(log.toFile()))
                    // The first start unpacks the binaries and runs initdb: slow on a busy laptop.
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        } catch (RuntimeException | IOException e) {
            throw new StartupException(
                    "Postgres did not start: " + e.getMessage() + "\n  " + log + ":\n" + Processes.tail(log, 30), e);
        }
        Postgres started = new Postgres(postgres, dataDir);
        started.createDatabase();
        return started;
    }

    /** The services connect as postgres/postgres to database "billing"; trust auth accepts any password locally. */
    private void createDatabase() {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + Config.DB_NAME + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE " + Config.DB_NAME);
                }
            }
            // Also set the password, so that a client that insists on password auth gets in too.
            s.execute("ALTER USER " + Config.DB_USER + " PASSWORD '" + Config.DB_PASSWORD + "'");
        } catch (SQLException e) {
            throw new StartupException("Could not create database " + Config.DB_NAME + ": " + e.getMessage(), e);
        }
    }

    /**
     * A postmaster detaches from pg_ctl, so a launcher killed with SIGKILL leaves it running on the data directory;
     * stop it (SIGTERM is a clean "smart" shutdown) before starting a new one.
     */
    static void stopOrphan(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Processes.readPid(pidFile)
                .flatMap(ProcessHandle::of)
                .filter(p -> p.info().command().orElse("").contains("postgres"))
                .ifPresent(p -> {
                    LocalStack.say("Stopping the Postgres a previous run left running (pid " + p.pid() + ")");
                    Processes.stop(List.of(p), Duration.ofSeconds(20));
                });
    }

    boolean isRunning() {
        return Files.exists(dataDir.resolve("postmaster.pid"));
    }

    /** pg_ctl stop -m fast: waits for the postmaster to exit. */
    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
