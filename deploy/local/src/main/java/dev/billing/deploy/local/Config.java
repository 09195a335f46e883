package dev.billing.deploy.local;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Everything the launcher is told: flags from the command line, settings from the environment, and the port table. */
record Config(
        Path root,
        boolean fresh,
        boolean check,
        Map<String, String> env,
        int dbPort,
        int kafkaPort,
        int kafkaControllerPort,
        Map<Service, Integer> servicePorts,
        Set<String> skipped,
        Duration startupTimeout,
        List<String> serviceJavaOpts,
        List<String> kafkaJavaOpts) {

    /**
     * The port table, the only one. {@code urlVar} is the variable through which the other services find this one
     * (the gateway is only reached from outside, so it has none).
     */
    enum Service {
        GATEWAY("gateway-service", "GATEWAY_PORT", 8080, null),
        AUTH("auth-service", "AUTH_PORT", 8081, "AUTH_SERVICE_URL"),
        PLAN("plan-service", "PLAN_PORT", 8082, "PLAN_SERVICE_URL"),
        SUBSCRIPTION("subscription-service", "SUBSCRIPTION_PORT", 8083, "SUBSCRIPTION_SERVICE_URL"),
        PAYMENT("payment-service", "PAYMENT_PORT", 8084, "PAYMENT_SERVICE_URL"),
        NOTIFICATION("notification-service", "NOTIFICATION_PORT", 8085, "NOTIFICATION_SERVICE_URL");

        final String dir;
        final String portVar;
        final int defaultPort;
        final String urlVar;

        Service(String dir, String portVar, int defaultPort, String urlVar) {
            this.dir = dir;
            this.portVar = portVar;
            this.defaultPort = defaultPort;
            this.urlVar = urlVar;
        }
    }

    static final String ADMIN_EMAIL = "admin@example.com";
    static final String DEFAULT_ADMIN_PASSWORD = "admin-password";
    /** The endpoint secret of the local stack's /webhooks/stripe when none is set (bench/run signs with it). */
    static final String LOCAL_WEBHOOK_SECRET = "whsec_local_stack_only";

    static final String DB_NAME = "billing";
    static final String DB_USER = "postgres";
    static final String DB_PASSWORD = "postgres";

    // Measured on 2 cores with the six real services starting at once: C1 only, the serial GC and a small initial
    // heap (the default is 1/64 of RAM) take each from ~320 MB RSS to ~200 MB and reach "ready" sooner than the JVM's
    // defaults. Override with LOCAL_SERVICE_JAVA_OPTS.
    static final String DEFAULT_SERVICE_JAVA_OPTS =
            "-Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k";
    static final String DEFAULT_KAFKA_JAVA_OPTS = "-Xms64m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    static final String USAGE = """
            usage: deploy/local/run [--fresh] [--check] [--build]
              --fresh   wipe .local/ (Postgres and Kafka data, logs) before starting
              --check   start everything, wait until healthy, print the summary, stop, exit 0
              --build   rebuild the jars first (./mvnw install without tests), even if they exist
            Settings are environment variables: see deploy/local/README.md.""";

    static Config parse(String[] args, Map<String, String> env) {
        Path root = Path.of("").toAbsolutePath();
        boolean fresh = false;
        boolean check = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--fresh" -> fresh = true;
                case "--check" -> check = true;
                case "--root" -> root = Path.of(args[++i]).toAbsolutePath().normalize();
                case "-h", "--help" -> throw new UsageException(null);
                default -> throw new UsageException("unknown option " + args[i]);
            }
        }
        Map<Service, Integer> ports = new LinkedHashMap<>();
        for (Service s : Service.values()) {
            ports.put(s, port(env, s.portVar, s.defaultPort));
        }
        Set<String> skipped = Arrays.stream(
                        env.getOrDefault("LOCAL_SKIP_SERVICES", "").split("[,\\s]+"))
                .filter(s -> !s.isBlank())
                .collect(Collectors.toSet());
        return new Config(
                root,
                fresh,
                check,
                env,
                port(env, "DB_PORT", 5432),
                port(env, "KAFKA_PORT", 9092),
                port(env, "KAFKA_CONTROLLER_PORT", 9093),
                ports,
                skipped,
                Duration.ofSeconds(number(env, "LOCAL_STARTUP_TIMEOUT", 300)),
                words(env.getOrDefault("LOCAL_SERVICE_JAVA_OPTS", DEFAULT_SERVICE_JAVA_OPTS)),
                words(env.getOrDefault("LOCAL_KAFKA_JAVA_OPTS", DEFAULT_KAFKA_JAVA_OPTS)));
    }

    /** Data, logs, pid and env files: {@code <root>/.local}, or {@code LOCAL_DIR} (the end-to-end tests use their own). */
    Path local() {
        String dir = env.get("LOCAL_DIR");
        return dir == null || dir.isBlank()
                ? root.resolve(".local")
                : Path.of(dir).toAbsolutePath();
    }

    Path logs() {
        return local().resolve("logs");
    }

    Path jar(Service s) {
        return root.resolve(s.dir).resolve("target").resolve(s.dir + ".jar");
    }

    /**
     * The copy a service runs from: a Boot jar rewritten by a build while its JVM runs breaks that
     * JVM (NoClassDefFoundError), so each start takes a snapshot.
     */
    Path runJar(Service s) {
        return local().resolve("jars").resolve(s.dir + ".jar");
    }

    String adminPassword() {
        String set = env.get("ADMIN_PASSWORD");
        return set == null || set.isEmpty() ? DEFAULT_ADMIN_PASSWORD : set;
    }

    String url(Service s) {
        return "http://localhost:" + servicePorts.get(s);
    }

    /**
     * What every service gets on top of the launcher's own environment (which passes through, so STRIPE_API_KEY,
     * SMTP_HOST... reach them). Kept separate so that .local/env/*.env holds only these, never the user's secrets.
     */
    Map<String, String> serviceEnv(Service s) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("SERVER_PORT", String.valueOf(servicePorts.get(s)));
        e.put("DB_HOST", "localhost");
        e.put("DB_PORT", String.valueOf(dbPort));
        e.put("DB_NAME", DB_NAME);
        e.put("DB_USER", DB_USER);
        e.put("DB_PASSWORD", DB_PASSWORD);
        e.put("KAFKA_BOOTSTRAP_SERVERS", "localhost:" + kafkaPort);
        e.put("JWKS_URI", url(Service.AUTH) + "/.well-known/jwks.json");
        e.put("JWT_ISSUER", url(Service.AUTH));
        e.put("JWT_AUDIENCE", "billing-api");
        for (Service other : Service.values()) {
            if (other.urlVar != null) {
                e.put(other.urlVar, url(other));
            }
        }
        if (!env.containsKey("ADMIN_PASSWORD")) {
            e.put("ADMIN_PASSWORD", DEFAULT_ADMIN_PASSWORD);
        }
        // Stripe webhooks can be tried (and benchmarked) locally: signed with this secret, they are
        // accepted at the gateway's /webhooks/stripe. Not with a real Stripe key: that comes with its own.
        if (!env.containsKey("STRIPE_WEBHOOK_SECRET") && isBlank(env.get("STRIPE_API_KEY"))) {
            e.put("STRIPE_WEBHOOK_SECRET", LOCAL_WEBHOOK_SECRET);
        }
        // With no SMTP server, notification-service writes each mail as an .eml file: keep them with the
        // rest of this stack's files (a developer reads them there; the end-to-end stack has its own).
        if (!env.containsKey("NOTIFICATION_MAIL_DIR")) {
            e.put("NOTIFICATION_MAIL_DIR", local().resolve("mail").toString());
        }
        // The local stack comes with the demo plans Basic, Standard and Premium (plan-service seeds them once).
        if (!env.containsKey("PLAN_SEED_DEMO")) {
            e.put("PLAN_SEED_DEMO", "true");
        }
        // The launcher waits on /actuator/health/readiness; Boot only exposes the probe groups by itself on
        // Kubernetes, so switch them on unless the user decided otherwise.
        if (!env.containsKey("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED")) {
            e.put("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED", "true");
        }
        return e;
    }

    /** The JVM that runs the launcher (21+, chosen by deploy/local/run) also runs the broker and the services. */
    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The broker's jars, copied by the build next to the launcher jar (target/kafka-libs). */
    static Path kafkaLibs() {
        try {
            Path self = Path.of(Config.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Path libs = self.getParent().resolve("kafka-libs");
            if (!Files.isDirectory(libs)) {
                throw new IllegalStateException(
                        libs + " is missing: build the launcher with `deploy/local/run --build` (or ./mvnw install)");
            }
            return libs;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int port(Map<String, String> env, String var, int fallback) {
        int port = number(env, var, fallback);
        if (port < 1 || port > 65535) {
            throw new UsageException(var + "=" + port + " is not a TCP port");
        }
        return port;
    }

    private static int number(Map<String, String> env, String var, int fallback) {
        String value = env.get(var);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(var + "=" + value + " is not a number");
        }
    }

    private static List<String> words(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    /** Bad flags or settings: print why (and the usage) and exit 2 before anything starts. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
