package dev.billing.deploy.local;

import dev.billing.deploy.local.Config.Service;
import dev.billing.deploy.local.Config.UsageException;
import dev.billing.deploy.local.Processes.StartupException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code deploy/local/run}: Postgres, Kafka and every built service on one machine, until Ctrl-C.
 *
 * <p>Start order is Postgres and Kafka, then all services in parallel, then a wait on their readiness probes. Stop
 * order is the reverse, from a shutdown hook, so Ctrl-C, SIGTERM and a failed start all end the same clean way.
 */
public final class LocalStack {
    private static final String LAUNCHER = "launcher";

    private final Config config;
    private final Path runDir;

    // The shutdown hook can fire at any moment of the start; every component is started and recorded under this
    // lock, so the hook either sees it (and stops it) or the start sees `stopping` (and does not begin it).
    private final Object lock = new Object();
    private volatile boolean stopping;
    private volatile boolean ownsRunDir; // false while another launcher runs on this repository
    private Boolean stoppedCleanly;
    private Postgres postgres;
    private Kafka kafka;
    private final List<ServiceProcess> services = new ArrayList<>();

    private LocalStack(Config config) {
        this.config = config;
        this.runDir = config.local().resolve("run");
    }

    public static void main(String[] args) {
        Config config;
        try {
            config = Config.parse(args, System.getenv());
        } catch (UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("deploy/local/run: " + e.getMessage());
            }
            System.err.println(Config.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        LocalStack stack = new LocalStack(config);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stack-stop"));
        try {
            stack.start();
        } catch (Exception e) {
            if (stack.stopping) {
                return; // Ctrl-C during the start: the hook is already stopping everything
            }
            System.err.println();
            System.err.println("[local] FAILED: " + (e instanceof StartupException ? e.getMessage() : e));
            if (!(e instanceof StartupException)) {
                e.printStackTrace();
            }
            System.exit(1); // the hook stops what did start
        }
        if (config.check()) {
            say("--check: everything is up; stopping it again.");
            System.exit(stack.stop() ? 0 : 1);
        }
        try {
            new CountDownLatch(1).await(); // until Ctrl-C or SIGTERM runs the hook
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
    }

    private void start() throws Exception {
        long t0 = System.nanoTime();
        Processes.recorded(runDir.resolve(LAUNCHER + ".pid"), config.root()).ifPresent(other -> {
            throw new StartupException("deploy/local/run is already running for " + config.root() + " (pid "
                    + other.pid() + "): stop it first (Ctrl-C in its terminal, or kill " + other.pid() + ")");
        });
        ownsRunDir = true;
        // A previous launcher killed with SIGKILL may have left its children behind: stop them first.
        Processes.reapLeftovers(runDir, config.root());
        Postgres.stopOrphan(Postgres.dataDir(config));
        if (config.fresh()) {
            say("--fresh: deleting " + config.local());
            Processes.deleteTree(config.local());
        }
        Files.createDirectories(config.logs());
        if (Files.getFileStore(config.local()).supportsFileAttributeView("posix")) {
            // Private: zonky leaves the unpacked Postgres binaries world-writable, and they are run on every start.
            Files.setPosixFilePermissions(config.local(), PosixFilePermissions.fromString("rwx------"));
        }
        // zonky logs through slf4j-simple: into a file, so the console shows only what the user needs.
        System.setProperty(
                "org.slf4j.simpleLogger.logFile",
                config.logs().resolve("launcher.log").toString());
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        Processes.writePid(runDir, LAUNCHER, ProcessHandle.current());

        say("Java " + Runtime.version() + " from " + System.getProperty("java.home") + "; data and logs in "
                + config.local());
        List<Service> toStart = servicesToStart();
        checkPorts(toStart);

        synchronized (lock) {
            requireNotStopping();
            say("Starting Kafka on localhost:" + config.kafkaPort() + " ...");
            kafka = Kafka.start(config, runDir);
        }
        long pgStart = System.nanoTime();
        synchronized (lock) {
            requireNotStopping();
            postgres = Postgres.start(config);
        }
        say("Postgres ready on localhost:" + config.dbPort() + ", database " + Config.DB_NAME + " ("
                + Processes.seconds(pgStart) + ")");
        kafka.awaitReady(Duration.ofSeconds(90));
        say("Kafka ready on localhost:" + config.kafkaPort() + " (" + Processes.seconds(t0) + " since launch)");
        kafka.process().onExit().thenRun(() -> {
            if (!stopping) {
                say("Kafka exited (code " + kafka.process().exitValue() + "); see " + kafka.log());
            }
        });

        for (Service s : Service.values()) {
            ServiceProcess.writeEnvFile(config, s); // also for skipped ones: they are the ones run from an IDE
        }
        synchronized (lock) {
            requireNotStopping();
            for (Service s : toStart) {
                services.add(ServiceProcess.start(config, s, runDir));
            }
        }
        if (!toStart.isEmpty()) {
            say("Started " + toStart.size() + " service(s); waiting for /actuator/health/readiness (up to "
                    + config.startupTimeout().toSeconds() + " s) ...");
        }
        awaitReady();
        for (ServiceProcess s : services) {
            // A service that dies later is reported, the rest keeps running: it can be restarted alone.
            s.process.onExit().thenRun(() -> {
                if (!stopping) {
                    say(s.name() + " exited (code " + s.process.exitValue() + "); the rest keeps running. Log: " + s.log
                            + "\n        restart it with: " + ServiceProcess.restartCommand(config, s.service));
                }
            });
        }
        printSummary(t0);
    }

    private List<Service> servicesToStart() {
        List<Service> toStart = new ArrayList<>();
        for (Service s : Service.values()) {
            if (config.skipped().contains(s.dir)) {
                say("Skipping " + s.dir + " (LOCAL_SKIP_SERVICES); its settings: .local/env/" + s.dir + ".env");
            } else if (Files.isRegularFile(config.jar(s))) {
                toStart.add(s);
            } else if (Files.isDirectory(config.root().resolve(s.dir))) {
                say("Not starting " + s.dir + ": " + config.jar(s) + " is missing (deploy/local/run --build)");
            }
        }
        if (toStart.isEmpty()) {
            say("No service jar found (<service>/target/<service>.jar): starting Postgres and Kafka only.");
        }
        return toStart;
    }

    /** All at once, before anything starts: a clash is reported with the variable that moves the port. */
    private void checkPorts(List<Service> toStart) {
        Processes.requireFreePort(config.dbPort(), "Postgres", "DB_PORT");
        Processes.requireFreePort(config.kafkaPort(), "Kafka", "KAFKA_PORT");
        Processes.requireFreePort(config.kafkaControllerPort(), "the Kafka controller", "KAFKA_CONTROLLER_PORT");
        for (Service s : toStart) {
            Processes.requireFreePort(config.servicePorts().get(s), s.dir, s.portVar);
        }
    }

    private void awaitReady() throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        List<ServiceProcess> pending = new ArrayList<>(services);
        long deadline = System.nanoTime() + config.startupTimeout().toNanos();
        long nextProgress = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!pending.isEmpty()) {
            requireNotStopping();
            for (ServiceProcess s : List.copyOf(pending)) {
                if (!s.process.isAlive()) {
                    throw new StartupException(s.name() + " exited with code " + s.process.exitValue()
                            + " before it was ready.\n  Last lines of " + s.log + ":\n" + Processes.tail(s.log, 30));
                }
                if (s.isReady(http)) {
                    say(s.name() + " ready on :" + s.port + " (" + Processes.seconds(s.startedNanos) + ")");
                    pending.remove(s);
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder why = new StringBuilder();
                for (ServiceProcess s : pending) {
                    why.append("\n")
                            .append(s.name())
                            .append(" was not ready within ")
                            .append(config.startupTimeout().toSeconds())
                            .append(" s (LOCAL_STARTUP_TIMEOUT). Last lines of ")
                            .append(s.log)
                            .append(":\n")
                            .append(Processes.tail(s.log, 30));
                }
                throw new StartupException(why.toString().substring(1));
            }
            if (System.nanoTime() > nextProgress) {
                say("still waiting for "
                        + pending.stream().map(ServiceProcess::name).toList());
                nextProgress = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            }
            Thread.sleep(1000);
        }
    }

    private void printSummary(long t0) {
        String gateway = config.url(Service.GATEWAY);
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("Gateway", gateway);
        lines.put("Swagger UI", gateway + "/swagger-ui.html");
        lines.put("Admin login", Config.ADMIN_EMAIL + " / " + config.adminPassword());
        lines.put(
                "Postgres",
                "localhost:" + config.dbPort() + " database " + Config.DB_NAME + ", user "
                        + Config.DB_USER + " / " + Config.DB_PASSWORD + "   (psql -h localhost -p " + config.dbPort()
                        + " -U postgres -d " + Config.DB_NAME + ")");
        lines.put("Kafka", "localhost:" + config.kafkaPort());
        lines.put("Data", config.local() + "   (deploy/local/run --fresh starts empty)");
        lines.put("Logs", config.logs().toString());
        lines.put(
                "Mail",
                config.serviceEnv(Service.NOTIFICATION).getOrDefault("NOTIFICATION_MAIL_DIR", "$NOTIFICATION_MAIL_DIR")
                        + "   (.eml files, unless SMTP_HOST is set)");
        StringBuilder out = new StringBuilder("\nBilling platform is up (" + Processes.seconds(t0) + ").\n");
        lines.forEach((k, v) -> out.append(String.format("  %-12s %s%n", k, v)));
        out.append(services.isEmpty() ? "  Services     none started\n" : "  Services\n");
        for (ServiceProcess s : services) {
            out.append(String.format("    %-22s http://localhost:%d   pid %d%n", s.name(), s.port, s.process.pid()));
        }
        if (!services.isEmpty()) {
            out.append("  Restart one: kill its pid, then run the command at the top of .local/env/<service>.env:\n")
                    .append("    ")
                    .append(ServiceProcess.restartCommand(config, services.getLast().service))
                    .append('\n');
        }
        out.append(
                config.check()
                        ? "  Stop         (--check) stopping now\n"
                        : "  Stop         Ctrl-C (or SIGTERM to pid "
                                + ProcessHandle.current().pid() + ")\n");
        System.out.print(out);
        System.out.flush();
    }

    /** Services first (they flush their work to Kafka and Postgres), then Kafka, then Postgres. Idempotent. */
    private boolean stop() {
        stopping = true;
        synchronized (lock) {
            if (stoppedCleanly != null) {
                return stoppedCleanly;
            }
            boolean clean = true;
            // Ours, plus any the user (re)started alone with the printed command: it records its pid.
            Set<ProcessHandle> running = new LinkedHashSet<>();
            services.forEach(s -> running.add(s.process.toHandle()));
            for (Service s : ownsRunDir ? Service.values() : new Service[0]) {
                Processes.recorded(runDir.resolve(s.dir + ".pid"), config.root())
                        .ifPresent(running::add);
                Processes.removePid(runDir, s.dir);
            }
            running.removeIf(p -> !p.isAlive());
            if (!running.isEmpty()) {
                say("Stopping " + running.size() + " service(s) ...");
                clean &= Processes.stop(List.copyOf(running), Duration.ofSeconds(20));
            }
            if (kafka != null) {
                say("Stopping Kafka ...");
                clean &= Processes.stop(List.of(kafka.process().toHandle()), Duration.ofSeconds(30));
                Processes.removePid(runDir, Kafka.NAME);
            }
            if (postgres != null) {
                say("Stopping Postgres ...");
                try {
                    postgres.close();
                } catch (IOException | RuntimeException e) {
                    say("Postgres did not stop cleanly: " + e.getMessage());
                }
                clean &= !postgres.isRunning();
            }
            if (kafka != null || postgres != null) {
                say(clean ? "Stopped." : "Stopped, but some processes had to be killed or are still running.");
            }
            if (ownsRunDir) {
                Processes.removePid(runDir, LAUNCHER);
            }
            stoppedCleanly = clean;
            return clean;
        }
    }

    private void requireNotStopping() {
        if (stopping) {
            throw new StartupException("stopping");
        }
    }

    static void say(String message) {
        System.out.println("[local] " + message);
        System.out.flush();
    }
}
