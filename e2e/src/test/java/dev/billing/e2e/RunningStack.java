package dev.billing.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole platform, started once per test JVM by the same launcher as {@code deploy/local/run}
 * (embedded Postgres, a KRaft broker, every service as its own process) on free ports and in its
 * own data folder, with the adjustable clock on. Stopped when the JVM exits.
 */
final class RunningStack {

    static final String ADMIN_EMAIL = "admin@example.com";
    static final String ADMIN_PASSWORD = "e2e-admin-password";
    static final List<String> SERVICES = List.of(
            "gateway-service",
            "auth-service",
            "plan-service",
            "subscription-service",
            "payment-service",
            "notification-service");

    private static RunningStack shared;

    private final Path root;
    private final Path localDir;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    /** What this stack adds to the launcher's environment; a restarted service needs it too. */
    private final Map<String, String> env = new LinkedHashMap<>();

    private final Process launcher;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static synchronized RunningStack shared() {
        if (shared == null) {
            shared = new RunningStack();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "e2e-stack-stop"));
        }
        return shared;
    }

    private RunningStack() {
        root = repositoryRoot();
        localDir = root.resolve("e2e/target/stack");
        Path jar = root.resolve("deploy/local/target/local-stack.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./mvnw -DskipTests install)");
        }
        env.put("LOCAL_DIR", localDir.toString());
        env.put("DB_PORT", String.valueOf(freePort()));
        env.put("KAFKA_PORT", String.valueOf(freePort()));
        env.put("KAFKA_CONTROLLER_PORT", String.valueOf(freePort()));
        for (String service : SERVICES) {
            int port = freePort();
            ports.put(service, port);
            env.put(service.replace("-service", "").toUpperCase() + "_PORT", String.valueOf(port));
        }
        env.put("ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("CLOCK_ADJUSTABLE", "true");
        env.put("PLAN_SEED_DEMO", "true");
        env.put("LOCAL_STARTUP_TIMEOUT", "480");
        // Checkout pages are linked through this stack's gateway.
        env.put("PUBLIC_BASE_URL", "http://localhost:" + ports.get("gateway-service"));
        // The lifecycle test moves every clock by months; access tokens must outlive that.
        env.put("AUTH_ACCESS_TOKEN_TTL", "365d");
        // Jobs poll often so that a moved clock is acted on quickly.
        env.put("SUBSCRIPTION_JOBS_INTERVAL", "1s");
        env.put("PAYMENT_RENEWALS_INTERVAL", "1s");
        try {
            Files.createDirectories(localDir.getParent());
            var builder = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx256m",
                            "-jar",
                            jar.toString(),
                            "--root",
                            root.toString(),
                            "--fresh")
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(
                            root.resolve("e2e/target/stack-launcher.log").toFile());
            builder.environment().putAll(env);
            launcher = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady(Duration.ofMinutes(9));
    }

    Path root() {
        return root;
    }

    String gateway() {
        return url("gateway-service");
    }

    String url(String service) {
        return "http://localhost:" + ports.get(service);
    }

    /**
     * Moves every service's clock forward (they run with {@code CLOCK_ADJUSTABLE=true}). The
     * gateway keeps real time: it never routes nor serves {@code /internal/**}, and its guard
     * follows the statuses the services publish.
     */
    void advanceClocks(String adminToken, Duration duration) {
        for (String service : SERVICES.subList(1, SERVICES.size())) {
            try {
                var request = HttpRequest.newBuilder(URI.create(url(service) + "/internal/clock/advance"))
                        .header("Authorization", "Bearer " + adminToken)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"duration\":\"" + duration + "\"}"))
                        .timeout(Duration.ofSeconds(10))
                        .build();
                var response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(
                            service + " refused to move its clock: " + response.statusCode() + " " + response.body());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Kills one service's process (as a crash would) and waits until it is gone. */
    void kill(String service) {
        long pid =
                Long.parseLong(read(localDir.resolve("run/" + service + ".pid")).trim());
        ProcessHandle.of(pid).ifPresent(process -> {
            process.destroyForcibly();
            process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        });
    }

    /** Starts one service again, alone, with the command the launcher wrote, and waits until it is ready. */
    void restart(String service) {
        restart(service, Map.of());
    }

    /**
     * Starts one service again with settings on top of the stack's (e.g. payment-service in Stripe
     * mode against a fake Stripe); the next plain {@link #restart(String)} drops them again.
     */
    void restart(String service, Map<String, String> extraEnv) {
        String command = read(localDir.resolve("env/" + service + ".env"))
                .lines()
                .skip(1)
                .findFirst()
                .orElseThrow()
                .replaceFirst("^#\\s+", "");
        try {
            // The env file holds what the launcher adds; the rest (CLOCK_ADJUSTABLE, token TTL, ...)
            // came from the launcher's own environment, as it would from a developer's shell.
            var builder = new ProcessBuilder("bash", "-c", command).directory(root.toFile());
            builder.environment().putAll(env);
            builder.environment().putAll(extraEnv);
            builder.start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        awaitReady(service, Instant.now().plus(Duration.ofMinutes(3)));
    }

    /** Every mail notification-service wrote to this stack's catcher folder (no SMTP server), as text. */
    List<String> mails() {
        Path dir = localDir.resolve("mail");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".eml"))
                    .map(RunningStack::read)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A setting the launcher gave one service (from its env file), e.g. the webhook secret. */
    String serviceEnv(String service, String name) {
        return read(localDir.resolve("env/" + service + ".env"))
                .lines()
                .filter(line -> line.startsWith(name + "="))
                .map(line -> line.substring(name.length() + 1))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(service + " has no " + name));
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        for (String service : SERVICES) {
            awaitReady(service, deadline);
        }
    }

    private void awaitReady(String service, Instant deadline) {
        while (Instant.now().isBefore(deadline)) {
            if (!launcher.isAlive()) {
                throw new IllegalStateException("the launcher exited (code " + launcher.exitValue()
                        + "); see e2e/target/stack-launcher.log and " + localDir.resolve("logs"));
            }
            if (ready(service)) {
                return;
            }
            sleep(1000);
        }
        throw new IllegalStateException(service + " was not ready in time; see " + localDir.resolve("logs"));
    }

    boolean ready(String service) {
        try {
            var request = HttpRequest.newBuilder(URI.create(url(service) + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2))
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void stop() {
        if (launcher.isAlive()) {
            launcher.destroy(); // SIGTERM: the launcher stops services, Kafka, then Postgres
            try {
                launcher.waitFor(90, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("run from inside the repository");
        }
        return dir;
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
