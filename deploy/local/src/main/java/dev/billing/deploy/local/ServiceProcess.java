package dev.billing.deploy.local;

import dev.billing.deploy.local.Config.Service;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** One service jar as its own OS process, so that it can be killed and restarted alone. */
final class ServiceProcess {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:@%+=,-]*");

    final Service service;
    final int port;
    final Path log;
    final Process process;
    final long startedNanos = System.nanoTime();

    private ServiceProcess(Service service, int port, Path log, Process process) {
        this.service = service;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    static ServiceProcess start(Config config, Service service, Path runDir) throws IOException {
        Path log = config.logs().resolve(service.dir + ".log");
        Files.createDirectories(config.runJar(service).getParent());
        Files.copy(config.jar(service), config.runJar(service), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ProcessBuilder builder = new ProcessBuilder(command(config, service))
                .directory(config.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.to(log.toFile())); // one log per run: the failure tail is this run's
        // The launcher's own environment is inherited (STRIPE_API_KEY, SMTP_HOST... pass through); ours goes on top.
        builder.environment().putAll(config.serviceEnv(service));
        Process process = builder.start();
        Processes.writePid(runDir, service.dir, process.toHandle());
        return new ServiceProcess(service, config.servicePorts().get(service), log, process);
    }

    static List<String> command(Config config, Service service) {
        List<String> command = new ArrayList<>();
        command.add(Config.java().toString());
        command.addAll(config.serviceJavaOpts());
        command.add("-jar");
        command.add(config.runJar(service).toString());
        return command;
    }

    /**
     * Writes .local/env/&lt;service&gt;.env: what the launcher adds to the environment, so one service can be run
     * alone (a restart, or from the IDE while the rest runs here). The user's own variables are not copied: they are
     * already in their shell, and secrets stay out of files.
     */
    static Path writeEnvFile(Config config, Service service) throws IOException {
        Path dir = config.local().resolve("env");
        Files.createDirectories(dir);
        Path file = dir.resolve(service.dir + ".env");
        StringBuilder text = new StringBuilder("# Written by deploy/local/run. Run " + service.dir
                + " alone with:\n#   " + restartCommand(config, service) + "\n");
        for (Map.Entry<String, String> e : config.serviceEnv(service).entrySet()) {
            text.append(e.getKey()).append('=').append(shellQuote(e.getValue())).append('\n');
        }
        Files.writeString(file, text);
        return file;
    }

    /** The exact shell command that starts this service again, alone, as the launcher did. */
    static String restartCommand(Config config, Service service) {
        Path env = config.local().resolve("env").resolve(service.dir + ".env");
        Path log = config.logs().resolve(service.dir + ".log");
        Path pid = config.local().resolve("run").resolve(service.dir + ".pid");
        String java = String.join(
                " ",
                command(config, service).stream()
                        .map(ServiceProcess::shellQuote)
                        .toList());
        // `exec` keeps the pid of the subshell, so the pid file names the JVM and the launcher's Ctrl-C stops it too.
        return "(cd " + shellQuote(config.root().toString()) + " && cp "
                + shellQuote(config.jar(service).toString())
                + " " + shellQuote(config.runJar(service).toString()) + " && set -a && . " + shellQuote(env.toString())
                + " && set +a && exec " + java + ") >> " + shellQuote(log.toString()) + " 2>&1 & echo $! > "
                + shellQuote(pid.toString());
    }

    private static String shellQuote(String s) {
        return PLAIN.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    /** Ready = the Spring Boot readiness probe answers 200 (the database and Kafka it needs are up, migrations ran). */
    boolean isReady(HttpClient http) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(2))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String name() {
        return service.dir;
    }
}
