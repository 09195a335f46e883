package dev.billing.deploy.local;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Small helpers around child processes, ports and log files. */
final class Processes {
    private Processes() {}

    /** Fails with a message naming the variable that moves the port, so the fix is one env var away. */
    static void requireFreePort(int port, String what, String var) {
        try (ServerSocket socket = new ServerSocket()) {
            // Binding the wildcard address also fails when something listens on 127.0.0.1 or ::1 only.
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new StartupException("Port " + port + " (" + what + ") is already in use. Stop whatever listens"
                    + " there (`lsof -i :" + port + "` or `ss -ltnp | grep " + port + "` shows it) or pick another"
                    + " port, e.g. " + var + "=" + (port + 100) + " deploy/local/run");
        }
    }

    /** Records a child's pid so that the next run can stop it if this launcher was killed with SIGKILL. */
    static void writePid(Path runDir, String name, ProcessHandle process) throws IOException {
        Files.createDirectories(runDir);
        Files.writeString(runDir.resolve(name + ".pid"), process.pid() + "\n");
    }

    static void removePid(Path runDir, String name) {
        try {
            Files.deleteIfExists(runDir.resolve(name + ".pid"));
        } catch (IOException ignored) {
            // best effort: a stale pid file is checked against the command line before anything is killed
        }
    }

    /**
     * Stops processes a previous run left behind (its launcher was SIGKILLed, or the machine slept through a crash).
     */
    static void reapLeftovers(Path runDir, Path root) throws IOException {
        if (!Files.isDirectory(runDir)) {
            return;
        }
        List<ProcessHandle> stale = new ArrayList<>();
        try (Stream<Path> files = Files.list(runDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                recorded(file, root).ifPresent(stale::add);
                Files.delete(file);
            }
        }
        if (!stale.isEmpty()) {
            LocalStack.say("Stopping " + stale.size() + " process(es) left running by a previous run: "
                    + stale.stream().map(p -> String.valueOf(p.pid())).toList());
            stop(stale, Duration.ofSeconds(20));
        }
    }

    /**
     * The live process a pid file names, if it is still ours: only a process whose command line mentions this
     * repository counts, so a recycled pid is never touched.
     */
    static Optional<ProcessHandle> recorded(Path pidFile, Path root) {
        return readPid(pidFile)
                .flatMap(ProcessHandle::of)
                .filter(p -> p.info().commandLine().orElse("").contains(root + File.separator));
    }

    static Optional<Long> readPid(Path file) {
        try {
            String first = Files.readAllLines(file, UTF_8).stream()
                    .findFirst()
                    .orElse("")
                    .trim();
            return Optional.of(Long.parseLong(first));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * SIGTERM to all at once (they shut down in parallel), then SIGKILL whatever is still alive after the grace
     * period, children included. Returns true when all stopped on SIGTERM alone.
     */
    static boolean stop(List<ProcessHandle> processes, Duration grace) {
        List<ProcessHandle> all = new ArrayList<>();
        for (ProcessHandle p : processes) {
            all.add(p);
            p.descendants().forEach(all::add);
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        boolean clean = true;
        for (ProcessHandle p : all) {
            if (!awaitExit(p, deadline)) {
                LocalStack.say("pid " + p.pid() + " did not stop within " + grace.toSeconds() + " s: killing it");
                p.destroyForcibly();
                clean = false;
            }
        }
        long killDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        return all.stream().allMatch(p -> awaitExit(p, killDeadline)) && clean;
    }

    // Polls rather than waiting on onExit(): that future completes asynchronously, so a fresh one is not yet done
    // even for a process that exited long ago.
    private static boolean awaitExit(ProcessHandle p, long deadlineNanos) {
        while (p.isAlive()) {
            if (System.nanoTime() >= deadlineNanos) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !p.isAlive();
            }
        }
        return true;
    }

    /** The last lines of a log, for the failure message, so the user need not open the file to see why. */
    static String tail(Path log, int lines) {
        try {
            String[] all = new String(Files.readAllBytes(log), UTF_8).split("\\R");
            int from = Math.max(0, all.length - lines);
            return "    " + String.join("\n    ", List.of(all).subList(from, all.length));
        } catch (IOException e) {
            return "    (no log at " + log + ")";
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p :
                    paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }

    static String seconds(long startNanos) {
        return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }

    /** A failure that stops the launch: its message is what the user reads, so it says what to do. */
    static final class StartupException extends RuntimeException {
        StartupException(String message) {
            super(message);
        }

        StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
